using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.CloudFormation;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// Each resource type through a stack: a property it does not have fails the resource in CloudFormation's words
/// and rolls the stack back; a secret's value is in no answer about the stack; a bucket that still holds objects
/// fails to delete, as in CloudFormation, and deletes once emptied.
/// </summary>
public sealed class ResourceProviderTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Cfn = CloudFormationQuery.Ns;

    public static TheoryData<string, string> Types => new()
    {
        { "AWS::SSM::Parameter", "{Type: String, Value: x}" },
        { "AWS::SecretsManager::Secret", "{SecretString: x}" },
        { "AWS::S3::Bucket", "{}" },
        { "AWS::S3::BucketPolicy", "{Bucket: b, PolicyDocument: {}}" },
        { "AWS::Logs::LogGroup", "{}" },
        { "AWS::IAM::Role", "{AssumeRolePolicyDocument: {}}" },
        { "AWS::IAM::Policy", "{PolicyName: p, PolicyDocument: {}, Roles: [r]}" },
        { "AWS::IAM::ManagedPolicy", "{PolicyDocument: {}}" },
        { "AWS::IAM::User", "{}" },
        { "AWS::IAM::AccessKey", "{UserName: u}" },
        { "AWS::ECR::Repository", "{}" },
        { "AWS::KMS::Key", "{}" },
        { "AWS::KMS::Alias", "{AliasName: alias/a, TargetKeyId: k}" },
        { "AWS::Logs::MetricFilter", "{LogGroupName: g, FilterPattern: '', MetricTransformations: []}" },
        { "AWS::SNS::Topic", "{}" },
        { "AWS::SNS::Subscription", "{TopicArn: t, Protocol: email}" },
        { "AWS::CloudWatch::Alarm", "{ComparisonOperator: GreaterThanThreshold, EvaluationPeriods: 1}" },
        { "AWS::CloudWatch::Dashboard", "{DashboardBody: '{}'}" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public async Task A_property_the_type_does_not_have_fails_it_in_CloudFormations_words(string type, string properties)
    {
        var stack = NewName();
        var withExtra = properties.Length == 2 ? "{Bogus: 1}" : properties.Insert(properties.Length - 1, ", Bogus: 1");
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", $"Resources:\n  Thing:\n    Type: '{type}'\n    Properties: {withExtra}"),
            ("Capabilities.member.1", "CAPABILITY_IAM"));
        await Runner().WhenIdleAsync();

        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("ROLLBACK_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        var (_, events) = await CallAsync("DescribeStackEvents", ("StackName", stack));
        var failed = events.Descendants(Cfn + "member").Single(e => e.Element(Cfn + "ResourceStatus")!.Value == "CREATE_FAILED");
        Assert.Equal("Properties validation failed for resource Thing with message: #: extraneous key [Bogus] is not permitted", failed.Element(Cfn + "ResourceStatusReason")!.Value);
    }

    [Fact]
    public async Task Ref_and_GetAtt_give_each_types_values_in_AWSs_formats()
    {
        var stack = NewName();
        await CallAsync("CreateStack", ("StackName", stack), ("Capabilities.member.1", "CAPABILITY_NAMED_IAM"), ("TemplateBody", $$$$"""
            Resources:
              Store: {Type: 'AWS::S3::Bucket', Properties: {BucketName: '{{{{stack}}}}-store'}}
              Logs: {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: '/{{{{stack}}}}/logs'}}
              Config: {Type: 'AWS::SecretsManager::Secret', Properties: {Name: '{{{{stack}}}}/config', SecretString: x}}
              Handler: {Type: 'AWS::IAM::Role', Properties: {RoleName: '{{{{stack}}}}-handler', Path: /app/, AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}}}
              Invoker: {Type: 'AWS::IAM::User', Properties: {UserName: '{{{{stack}}}}-invoker'}}
              Invoke: {Type: 'AWS::IAM::ManagedPolicy', Properties: {ManagedPolicyName: '{{{{stack}}}}-invoke', PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'execute-api:Invoke', Resource: '*'}]}}}
            Outputs:
              BucketRef: {Value: !Ref Store}
              BucketArn: {Value: !GetAtt Store.Arn}
              BucketDomain: {Value: !GetAtt Store.DomainName}
              BucketRegionalDomain: {Value: !GetAtt Store.RegionalDomainName}
              LogsRef: {Value: !Ref Logs}
              LogsArn: {Value: !GetAtt Logs.Arn}
              SecretIsRef: {Value: !Equals [!Ref Config, !GetAtt Config.Id]}
              RoleRef: {Value: !Ref Handler}
              RoleArn: {Value: !GetAtt Handler.Arn}
              RoleId: {Value: !GetAtt Handler.RoleId}
              UserArn: {Value: !GetAtt Invoker.Arn}
              PolicyRef: {Value: !Ref Invoke}
              PolicyVersion: {Value: !GetAtt Invoke.DefaultVersionId}
            """));
        await Runner().WhenIdleAsync();

        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("CREATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        var outputs = described.Descendants(Cfn + "Outputs").Single().Elements(Cfn + "member")
            .ToDictionary(o => o.Element(Cfn + "OutputKey")!.Value, o => o.Element(Cfn + "OutputValue")!.Value);
        var account = TestPrincipals.AccountId;
        Assert.Equal($"{stack}-store", outputs["BucketRef"]);
        Assert.Equal($"arn:aws:s3:::{stack}-store", outputs["BucketArn"]);
        Assert.Equal($"{stack}-store.s3.amazonaws.com", outputs["BucketDomain"]);
        Assert.Equal($"{stack}-store.s3.us-east-1.amazonaws.com", outputs["BucketRegionalDomain"]);
        Assert.Equal($"/{stack}/logs", outputs["LogsRef"]);
        Assert.Equal($"arn:aws:logs:us-east-1:{account}:log-group:/{stack}/logs:*", outputs["LogsArn"]);
        Assert.Equal("true", outputs["SecretIsRef"]);
        Assert.Equal($"{stack}-handler", outputs["RoleRef"]);
        Assert.Equal($"arn:aws:iam::{account}:role/app/{stack}-handler", outputs["RoleArn"]);
        Assert.Matches("^AROA[0-9A-F]{17}$", outputs["RoleId"]);
        Assert.Equal($"arn:aws:iam::{account}:user/{stack}-invoker", outputs["UserArn"]);
        Assert.Equal($"arn:aws:iam::{account}:policy/{stack}-invoke", outputs["PolicyRef"]);
        Assert.Equal("v1", outputs["PolicyVersion"]);
        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
    }

    [Fact]
    public async Task A_secrets_value_given_as_a_NoEcho_parameter_is_in_no_answer_about_the_stack()
    {
        var stack = NewName();
        const string Value = "s3cr3t-value-5e6f";
        await CallAsync("CreateStack", ("StackName", stack),
            ("TemplateBody", $"Parameters:\n  Value: {{Type: String, NoEcho: true}}\nResources:\n  Config: {{Type: 'AWS::SecretsManager::Secret', Properties: {{Name: '{stack}/config', SecretString: !Ref Value}}}}"),
            ("Parameters.member.1.ParameterKey", "Value"), ("Parameters.member.1.ParameterValue", Value));
        await Runner().WhenIdleAsync();

        var answers = string.Join('\n', await Task.WhenAll(
            ((string[])["DescribeStacks", "DescribeStackEvents", "DescribeStackResources", "ListStackResources"]).Select(async a => (await CallAsync(a, ("StackName", stack))).Xml.ToString())));
        Assert.Contains("CREATE_COMPLETE", answers, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, answers, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, string.Join('\n', factory.Logs.GetSnapshot().Select(r => r.Message + r.Exception)), StringComparison.Ordinal);
        Assert.Equal(Value, (await factory.SecretsManager(TestPrincipals.Admin).GetSecretValueAsync(new() { SecretId = $"{stack}/config" }, TestContext.Current.CancellationToken)).SecretString);
    }

    [Fact]
    public async Task A_bucket_that_holds_objects_fails_to_delete_and_deletes_once_emptied()
    {
        var stack = NewName();
        var bucket = stack + "-kept";
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", $"Resources:\n  Store: {{Type: 'AWS::S3::Bucket', Properties: {{BucketName: {bucket}}}}}"));
        await Runner().WhenIdleAsync();
        using var s3 = S3.S3Http.For(factory, TestPrincipals.Admin);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await s3.PutAsync($"/{bucket}/object", "x"u8.ToArray())).Status);

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("DELETE_FAILED", described.Descendants(Cfn + "StackStatus").Single().Value);
        var (_, events) = await CallAsync("DescribeStackEvents", ("StackName", stack));
        Assert.Contains(events.Descendants(Cfn + "ResourceStatusReason"), r => r.Value.Contains("BucketNotEmpty", StringComparison.Ordinal) || r.Value.Contains("not empty", StringComparison.Ordinal));

        await s3.DeleteAsync($"/{bucket}/object");

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        Assert.Equal("NoSuchBucket", (await s3.GetAsync($"/{bucket}")).ErrorCode);
    }

    [Fact]
    public async Task The_CDK_bootstraps_key_alias_and_repository_are_KMSs_and_ECRs_own_and_go_with_the_stack()
    {
        var stack = NewName();
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", $$$"""
            Resources:
              Key:
                Type: 'AWS::KMS::Key'
                Properties:
                  Description: assets
                  EnableKeyRotation: true
                  PendingWindowInDays: 7
                  KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Ref 'AWS::AccountId'}, Action: 'kms:*', Resource: '*'}]}
              KeyAlias: {Type: 'AWS::KMS::Alias', Properties: {AliasName: 'alias/{{{stack}}}-assets', TargetKeyId: !Ref Key}}
              Images:
                Type: 'AWS::ECR::Repository'
                Properties:
                  RepositoryName: '{{{stack}}}-images'
                  ImageTagMutability: IMMUTABLE
                  LifecyclePolicy: {LifecyclePolicyText: '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":365},"action":{"type":"expire"}}]}'}
                  RepositoryPolicyText: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: ['ecr:BatchGetImage']}]}
            Outputs:
              KeyRef: {Value: !Ref Key}
              KeyArn: {Value: !GetAtt Key.Arn}
              ImagesArn: {Value: !GetAtt Images.Arn}
              ImagesUri: {Value: !GetAtt Images.RepositoryUri}
            """));
        await Runner().WhenIdleAsync();

        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("CREATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        var outputs = described.Descendants(Cfn + "Outputs").Single().Elements(Cfn + "member")
            .ToDictionary(o => o.Element(Cfn + "OutputKey")!.Value, o => o.Element(Cfn + "OutputValue")!.Value);
        Assert.Equal($"arn:aws:kms:us-east-1:{TestPrincipals.AccountId}:key/{outputs["KeyRef"]}", outputs["KeyArn"]);
        Assert.Equal($"arn:aws:ecr:us-east-1:{TestPrincipals.AccountId}:repository/{stack}-images", outputs["ImagesArn"]);
        Assert.Equal($"{TestPrincipals.AccountId}.dkr.ecr.us-east-1.amazonaws.com/{stack}-images", outputs["ImagesUri"]);
        var key = (await factory.OkJsonAsync(Aws.Protocol.AwsServiceMetadata.Kms, "DescribeKey", $$"""{"KeyId":"alias/{{stack}}-assets"}""")).GetProperty("KeyMetadata");
        Assert.Equal((outputs["KeyRef"], "assets"), (key.GetProperty("KeyId").GetString(), key.GetProperty("Description").GetString()));
        Assert.True((await factory.OkJsonAsync(Aws.Protocol.AwsServiceMetadata.Kms, "GetKeyRotationStatus", $$"""{"KeyId":"{{outputs["KeyRef"]}}"}""")).GetProperty("KeyRotationEnabled").GetBoolean());
        var repository = Assert.Single((await factory.OkJsonAsync(Aws.Protocol.AwsServiceMetadata.Ecr, "DescribeRepositories", $$"""{"repositoryNames":["{{stack}}-images"]}""")).GetProperty("repositories").EnumerateArray());
        Assert.Equal("IMMUTABLE", repository.GetProperty("imageTagMutability").GetString());
        Assert.Contains("lambda.amazonaws.com", (await factory.OkJsonAsync(Aws.Protocol.AwsServiceMetadata.Ecr, "GetRepositoryPolicy", $$"""{"repositoryName":"{{stack}}-images"}""")).GetProperty("policyText").GetString(), StringComparison.Ordinal);

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        var deletedKey = (await factory.OkJsonAsync(Aws.Protocol.AwsServiceMetadata.Kms, "DescribeKey", $$"""{"KeyId":"{{outputs["KeyRef"]}}"}""")).GetProperty("KeyMetadata");
        Assert.Equal("PendingDeletion", deletedKey.GetProperty("KeyState").GetString());
        Assert.Equal("NotFoundException", (await factory.CallJsonAsync(Aws.Protocol.AwsServiceMetadata.Kms, "DescribeKey", $$"""{"KeyId":"alias/{{stack}}-assets"}""")).Type);
        Assert.Equal("RepositoryNotFoundException", (await factory.CallJsonAsync(Aws.Protocol.AwsServiceMetadata.Ecr, "DescribeRepositories", $$"""{"repositoryNames":["{{stack}}-images"]}""")).Type);
    }

    [Fact]
    public async Task An_alarm_topic_gets_its_e_mail_subscription_only_when_the_parameter_names_an_address_and_updates_in_place()
    {
        var stack = NewName();
        var template = $$$"""
            Parameters:
              AlarmEmail: {Type: String, Default: ''}
            Conditions:
              HasAlarmEmail: !Not [!Equals [!Ref AlarmEmail, '']]
            Resources:
              Alarms:
                Type: 'AWS::SNS::Topic'
                Properties:
                  TopicName: '{{{stack}}}-alarms'
                  DisplayName: '{0}'
                  Subscription: [{Protocol: lambda, Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:pager'}]
              AlarmEmailSubscription:
                Type: 'AWS::SNS::Subscription'
                Condition: HasAlarmEmail
                Properties: {TopicArn: !Ref Alarms, Protocol: email, Endpoint: !Ref AlarmEmail}
            Outputs:
              TopicRef: {Value: !Ref Alarms}
              TopicName: {Value: !GetAtt Alarms.TopicName}
            """;
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", template.Replace("{0}", "Alarms", StringComparison.Ordinal)));
        await Runner().WhenIdleAsync();
        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("CREATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        var outputs = described.Descendants(Cfn + "Outputs").Single().Elements(Cfn + "member")
            .ToDictionary(o => o.Element(Cfn + "OutputKey")!.Value, o => o.Element(Cfn + "OutputValue")!.Value);
        var arn = $"arn:aws:sns:us-east-1:{TestPrincipals.AccountId}:{stack}-alarms";
        Assert.Equal((arn, $"{stack}-alarms"), (outputs["TopicRef"], outputs["TopicName"]));
        Assert.Equal(["lambda"], await SubscribedAsync(arn));

        // With an address, the same template adds the e-mail subscription, which waits for its confirmation.
        await CallAsync("UpdateStack", ("StackName", stack), ("TemplateBody", template.Replace("{0}", "Pager", StringComparison.Ordinal)),
            ("Parameters.member.1.ParameterKey", "AlarmEmail"), ("Parameters.member.1.ParameterValue", "ops@example.com"));
        await Runner().WhenIdleAsync();
        (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("UPDATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        Assert.Equal(["email", "lambda"], await SubscribedAsync(arn));
        var (_, attributes) = await QueryCalls.CallAsync(factory, TestPrincipals.Admin, "sns", "2010-03-31", "GetTopicAttributes", ("TopicArn", arn));
        var values = attributes.Descendants().Where(e => e.Name.LocalName == "entry").ToDictionary(e => e.Elements().First().Value, e => e.Elements().Last().Value, StringComparer.Ordinal);
        Assert.Equal(("Pager", "1"), (values["DisplayName"], values["SubscriptionsPending"]));

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        var (status, _) = await QueryCalls.CallAsync(factory, TestPrincipals.Admin, "sns", "2010-03-31", "GetTopicAttributes", ("TopicArn", arn));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task An_alarm_notifying_a_topic_and_a_dashboard_showing_it_update_in_place_and_a_bad_body_rolls_back()
    {
        var stack = NewName();
        var template = $$$"""
            Resources:
              Alarms: {Type: 'AWS::SNS::Topic'}
              Errors:
                Type: 'AWS::CloudWatch::Alarm'
                Properties:
                  Namespace: AWS/Lambda
                  MetricName: Errors
                  Dimensions: [{Name: FunctionName, Value: api-handler}]
                  Statistic: Sum
                  Period: 300
                  EvaluationPeriods: 1
                  Threshold: {0}
                  ComparisonOperator: GreaterThanOrEqualToThreshold
                  TreatMissingData: notBreaching
                  AlarmActions: [!Ref Alarms]
                  Tags: [{Key: team, Value: '{1}'}]
              Board:
                Type: 'AWS::CloudWatch::Dashboard'
                Properties:
                  DashboardName: '{{{stack}}}-board'
                  DashboardBody: !Join ['', ['{"widgets":[{"type":"alarm","properties":{"alarms":["', !GetAtt Errors.Arn, '"]}}{2}]}']]
            Outputs:
              AlarmRef: {Value: !Ref Errors}
              AlarmArn: {Value: !GetAtt Errors.Arn}
              TopicArn: {Value: !Ref Alarms}
            """;
        string Template(string threshold, string team, string more = "") =>
            template.Replace("{0}", threshold, StringComparison.Ordinal).Replace("{1}", team, StringComparison.Ordinal).Replace("{2}", more, StringComparison.Ordinal);
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", Template("1", "ops")));
        await Runner().WhenIdleAsync();
        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("CREATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        var outputs = described.Descendants(Cfn + "Outputs").Single().Elements(Cfn + "member")
            .ToDictionary(o => o.Element(Cfn + "OutputKey")!.Value, o => o.Element(Cfn + "OutputValue")!.Value);
        var name = outputs["AlarmRef"];
        Assert.StartsWith($"{stack}-Errors-", name, StringComparison.Ordinal);
        Assert.Equal($"arn:aws:cloudwatch:us-east-1:{TestPrincipals.AccountId}:alarm:{name}", outputs["AlarmArn"]);
        var alarm = await AlarmAsync(name);
        Assert.Equal(("1.0", outputs["TopicArn"]), (Value(alarm, "Threshold"), Value(alarm, "AlarmActions")));
        Assert.Contains(outputs["AlarmArn"], Value(await CloudWatchAsync("GetDashboard", ("DashboardName", $"{stack}-board")), "DashboardBody"), StringComparison.Ordinal);

        // In place: the same alarm, its state kept, its new threshold and tag.
        await CloudWatchAsync("SetAlarmState", ("AlarmName", name), ("StateValue", "ALARM"), ("StateReason", "before the update"));
        await CallAsync("UpdateStack", ("StackName", stack), ("TemplateBody", Template("5", "platform")));
        await Runner().WhenIdleAsync();
        (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("UPDATE_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        alarm = await AlarmAsync(name);
        Assert.Equal(("5.0", "ALARM"), (Value(alarm, "Threshold"), Value(alarm, "StateValue")));
        Assert.Equal("platform", Value(await CloudWatchAsync("ListTagsForResource", ("ResourceARN", outputs["AlarmArn"])), "Value"));

        // A body CloudWatch refuses fails the update, and the rollback leaves the alarm as it was.
        await CallAsync("UpdateStack", ("StackName", stack), ("TemplateBody", Template("9", "platform", """,{"type":"graph","properties":{}} """.Trim())));
        await Runner().WhenIdleAsync();
        (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        Assert.Equal("5.0", Value(await AlarmAsync(name), "Threshold"));

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        Assert.Empty((await CloudWatchAsync("DescribeAlarms", ("AlarmNames.member.1", name))).Descendants().Where(e => e.Name.LocalName == "AlarmName").ToList());
        var (status, _) = await QueryCalls.CallAsync(factory, TestPrincipals.Admin, "monitoring", "2010-08-01", "GetDashboard", ("DashboardName", $"{stack}-board"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, status);
    }

    [Theory]
    [InlineData("PublicRead", null, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")]
    [InlineData("PublicRead", "ObjectWriter", "LocalAws keeps no ACLs")]
    [InlineData("Secret", null, "is not a canned ACL")]
    [InlineData("Private", null, null)]
    public async Task A_bucket_takes_only_the_canned_ACL_a_bucket_without_ACLs_has(string acl, string? ownership, string? error)
    {
        var stack = NewName();
        var controls = ownership is null ? string.Empty : $", OwnershipControls: {{Rules: [{{ObjectOwnership: {ownership}}}]}}";
        await CallAsync("CreateStack", ("StackName", stack), ("TemplateBody", $"Resources:\n  Store: {{Type: 'AWS::S3::Bucket', Properties: {{AccessControl: {acl}{controls}}}}}"));
        await Runner().WhenIdleAsync();

        var (_, described) = await CallAsync("DescribeStacks", ("StackName", stack));
        Assert.Equal(error is null ? "CREATE_COMPLETE" : "ROLLBACK_COMPLETE", described.Descendants(Cfn + "StackStatus").Single().Value);
        if (error is not null)
        {
            var (_, events) = await CallAsync("DescribeStackEvents", ("StackName", stack));
            Assert.Contains(events.Descendants(Cfn + "ResourceStatusReason"), r => r.Value.Contains(error, StringComparison.Ordinal));
        }

        await CallAsync("DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
    }

    private async Task<List<string>> SubscribedAsync(string topicArn)
    {
        var (_, xml) = await QueryCalls.CallAsync(factory, TestPrincipals.Admin, "sns", "2010-03-31", "ListSubscriptionsByTopic", ("TopicArn", topicArn));
        return [.. xml.Descendants().Where(e => e.Name.LocalName == "Protocol").Select(e => e.Value).Order(StringComparer.Ordinal)];
    }

    private async Task<XDocument> CloudWatchAsync(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await QueryCalls.CallAsync(factory, TestPrincipals.Admin, "monitoring", "2010-08-01", action, parameters);
        Assert.True(status == System.Net.HttpStatusCode.OK, $"{action}: {status} {xml}");
        return xml;
    }

    private async Task<XElement> AlarmAsync(string name) =>
        (await CloudWatchAsync("DescribeAlarms", ("AlarmNames.member.1", name))).Descendants().Single(e => e.Name.LocalName == "MetricAlarms").Elements().Single();

    private static string Value(XContainer xml, string element) => xml.Descendants().First(e => e.Name.LocalName == element).Value;

    private static string NewName() => "p" + Guid.NewGuid().ToString("N")[..12];

    private StackOperationRunner Runner() => factory.Services.GetRequiredService<StackOperationRunner>();

    private Task<(System.Net.HttpStatusCode Status, XDocument Xml)> CallAsync(string action, params (string Name, string Value)[] parameters) =>
        CloudFormationQuery.CallAsync(factory, TestPrincipals.Admin, action, parameters);
}
