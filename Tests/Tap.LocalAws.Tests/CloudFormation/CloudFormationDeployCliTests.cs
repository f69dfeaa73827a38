using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// <c>aws cloudformation deploy</c> (AWS CLI v1 and v2, over HTTPS with LocalAws's CA) of a template using every
/// resource type LocalAws provides; then IAM, Secrets Manager, S3, SSM and Logs, asked through the same CLI, show
/// exactly what it declared; an update through a change set; a template with one invalid property rolling back
/// completely; and <c>delete-stack</c> removing all but what is retained.
/// </summary>
[Trait("Category", "Process")]
public sealed class CloudFormationDeployCliTests : IAsyncLifetime
{
    private readonly LocalAwsProcess _localAws = TestLocalAws.Process(durable: true, https: true);
    private readonly string _directory = Directory.CreateTempSubdirectory("cfn-deploy-").FullName;

    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    private static string Template(string suffix) => $$$$"""
        Parameters:
          Colour: {Type: String, Default: blue, AllowedValues: [blue, green]}
          Retention: {Type: Number, Default: 14}
        Resources:
          Mode:
            Type: AWS::SSM::Parameter
            Properties: {Name: /deploy-{{{{suffix}}}}/mode, Type: String, Value: !Ref Colour}
          Config:
            Type: AWS::SecretsManager::Secret
            Properties:
              Name: deploy-{{{{suffix}}}}/config
              GenerateSecretString: {SecretStringTemplate: '{"user":"tap"}', GenerateStringKey: password, PasswordLength: 32, ExcludePunctuation: true}
          Artifacts:
            Type: AWS::S3::Bucket
            DeletionPolicy: Retain
            Properties:
              BucketName: deploy-{{{{suffix}}}}-artifacts
              VersioningConfiguration: {Status: Enabled}
              BucketEncryption: {ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}}]}
              PublicAccessBlockConfiguration: {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true}
              Tags: [{Key: app, Value: tap}]
          TlsOnly:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Artifacts
              PolicyDocument:
                Version: '2012-10-17'
                Statement: [{Effect: Deny, Principal: '*', Action: 's3:*', Resource: [!GetAtt Artifacts.Arn, !Sub '${Artifacts.Arn}/*'], Condition: {Bool: {'aws:SecureTransport': 'false'}}}]
          Logs:
            Type: AWS::Logs::LogGroup
            Properties: {LogGroupName: /deploy-{{{{suffix}}}}/api, RetentionInDays: !Ref Retention}
          Handler:
            Type: AWS::IAM::Role
            Properties:
              RoleName: deploy-{{{{suffix}}}}-handler
              AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
              ManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']
              Policies: [{PolicyName: read-mode, PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'ssm:GetParameter', Resource: '*'}]}}]
          ReadConfig:
            Type: AWS::IAM::Policy
            Properties:
              PolicyName: read-config
              Roles: [!Ref Handler]
              PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'secretsmanager:GetSecretValue', Resource: !Ref Config}]}
          Invoke:
            Type: AWS::IAM::ManagedPolicy
            Properties:
              ManagedPolicyName: deploy-{{{{suffix}}}}-invoke
              Users: [!Ref Invoker]
              PolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Action: 'execute-api:Invoke', Resource: '*'}]}
          Invoker:
            Type: AWS::IAM::User
            Properties: {UserName: deploy-{{{{suffix}}}}-invoker}
          InvokerKey:
            Type: AWS::IAM::AccessKey
            Properties: {UserName: !Ref Invoker}
          CDKMetadata:
            Type: AWS::CDK::Metadata
            Properties: {Analytics: 'v2:deflate64:abc'}
        Outputs:
          RoleArn: {Value: !GetAtt Handler.Arn}
          KeyId: {Value: !Ref InvokerKey}
        """;

    public ValueTask InitializeAsync() => new(_localAws.StartAsync());

    public async ValueTask DisposeAsync()
    {
        await _localAws.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task A_deployed_stack_makes_what_it_declares_updates_by_change_set_rolls_back_and_is_deleted_but_for_what_it_retains(string cli)
    {
        Assert.SkipUnless(ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var suffix = cli == "aws" ? "v1" : "v2";
        var stack = $"deploy-{suffix}";
        var template = Path.Combine(_directory, $"{suffix}.yaml");
        await File.WriteAllTextAsync(template, Template(suffix), TestContext.Current.CancellationToken);

        var deployed = await RunAsync(cli, "cloudformation", "deploy", "--stack-name", stack, "--template-file", template, "--capabilities", "CAPABILITY_NAMED_IAM");
        Assert.True(deployed.ExitCode == 0, deployed.Output + deployed.Error);
        Assert.Contains("Successfully created/updated stack", deployed.Output, StringComparison.Ordinal);

        // What the stack declared, as each service's own API answers.
        var role = await JsonAsync(cli, "iam", "get-role", "--role-name", $"deploy-{suffix}-handler");
        Assert.Equal("lambda.amazonaws.com", role.GetProperty("Role").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Principal").GetProperty("Service").GetString());
        var attached = await JsonAsync(cli, "iam", "list-attached-role-policies", "--role-name", $"deploy-{suffix}-handler");
        Assert.Equal("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", attached.GetProperty("AttachedPolicies")[0].GetProperty("PolicyArn").GetString());
        var inline = await JsonAsync(cli, "iam", "list-role-policies", "--role-name", $"deploy-{suffix}-handler");
        Assert.Equal(["read-config", "read-mode"], inline.GetProperty("PolicyNames").EnumerateArray().Select(p => p.GetString()));
        var user = await JsonAsync(cli, "iam", "get-user", "--user-name", $"deploy-{suffix}-invoker");
        Assert.EndsWith($":user/deploy-{suffix}-invoker", user.GetProperty("User").GetProperty("Arn").GetString(), StringComparison.Ordinal);
        var policy = await JsonAsync(cli, "iam", "get-policy", "--policy-arn", $"arn:aws:iam::{TestPrincipals.AccountId}:policy/deploy-{suffix}-invoke");
        Assert.Equal(1, policy.GetProperty("Policy").GetProperty("AttachmentCount").GetInt32());

        var secret = await JsonAsync(cli, "secretsmanager", "get-secret-value", "--secret-id", $"deploy-{suffix}/config");
        using (var value = JsonDocument.Parse(secret.GetProperty("SecretString").GetString()!))
        {
            Assert.Equal("tap", value.RootElement.GetProperty("user").GetString());
            Assert.Matches("^[A-Za-z0-9]{32}$", value.RootElement.GetProperty("password").GetString());
        }

        var bucket = $"deploy-{suffix}-artifacts";
        Assert.Equal("Enabled", (await JsonAsync(cli, "s3api", "get-bucket-versioning", "--bucket", bucket)).GetProperty("Status").GetString());
        Assert.Equal("AES256", (await JsonAsync(cli, "s3api", "get-bucket-encryption", "--bucket", bucket))
            .GetProperty("ServerSideEncryptionConfiguration").GetProperty("Rules")[0].GetProperty("ApplyServerSideEncryptionByDefault").GetProperty("SSEAlgorithm").GetString());
        Assert.True((await JsonAsync(cli, "s3api", "get-public-access-block", "--bucket", bucket)).GetProperty("PublicAccessBlockConfiguration").GetProperty("BlockPublicPolicy").GetBoolean());
        Assert.Equal("tap", (await JsonAsync(cli, "s3api", "get-bucket-tagging", "--bucket", bucket)).GetProperty("TagSet")[0].GetProperty("Value").GetString());
        Assert.Contains("aws:SecureTransport", (await JsonAsync(cli, "s3api", "get-bucket-policy", "--bucket", bucket)).GetProperty("Policy").GetString(), StringComparison.Ordinal);
        Assert.Equal("blue", (await JsonAsync(cli, "ssm", "get-parameter", "--name", $"/deploy-{suffix}/mode")).GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(14, (await JsonAsync(cli, "logs", "describe-log-groups", "--log-group-name-prefix", $"/deploy-{suffix}/")).GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());

        // An update through a change set changes what changed.
        var updated = await RunAsync(cli, "cloudformation", "deploy", "--stack-name", stack, "--template-file", template, "--capabilities", "CAPABILITY_NAMED_IAM",
            "--parameter-overrides", "Colour=green", "Retention=30");
        Assert.True(updated.ExitCode == 0, updated.Output + updated.Error);
        Assert.Equal("UPDATE_COMPLETE", (await JsonAsync(cli, "cloudformation", "describe-stacks", "--stack-name", stack)).GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
        Assert.Equal("green", (await JsonAsync(cli, "ssm", "get-parameter", "--name", $"/deploy-{suffix}/mode")).GetProperty("Parameter").GetProperty("Value").GetString());
        Assert.Equal(30, (await JsonAsync(cli, "logs", "describe-log-groups", "--log-group-name-prefix", $"/deploy-{suffix}/")).GetProperty("logGroups")[0].GetProperty("retentionInDays").GetInt32());

        // One invalid property: the new stack rolls back and leaves nothing.
        var broken = Path.Combine(_directory, $"{suffix}-broken.yaml");
        await File.WriteAllTextAsync(broken, $$$$"""
            Resources:
              First: {Type: 'AWS::SSM::Parameter', Properties: {Name: /broken-{{{{suffix}}}}/first, Type: String, Value: one}}
              Second: {Type: 'AWS::Logs::LogGroup', DependsOn: First, Properties: {LogGroupName: /broken-{{{{suffix}}}}, RetentionDays: 7}}
            """, TestContext.Current.CancellationToken);
        var failed = await RunAsync(cli, "cloudformation", "deploy", "--stack-name", $"broken-{suffix}", "--template-file", broken);
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Equal("ROLLBACK_COMPLETE", (await JsonAsync(cli, "cloudformation", "describe-stacks", "--stack-name", $"broken-{suffix}")).GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
        var events = await JsonAsync(cli, "cloudformation", "describe-stack-events", "--stack-name", $"broken-{suffix}");
        Assert.Contains(events.GetProperty("StackEvents").EnumerateArray(), e => e.GetProperty("ResourceStatus").GetString() == "CREATE_FAILED"
            && e.GetProperty("ResourceStatusReason").GetString() == "Properties validation failed for resource Second with message: #: extraneous key [RetentionDays] is not permitted");
        Assert.Contains("ParameterNotFound", (await RunAsync(cli, "ssm", "get-parameter", "--name", $"/broken-{suffix}/first")).Error, StringComparison.Ordinal);

        // Deleting removes all but the retained bucket.
        Assert.Equal(0, (await RunAsync(cli, "cloudformation", "delete-stack", "--stack-name", stack)).ExitCode);
        Assert.Equal(0, (await RunAsync(cli, "cloudformation", "wait", "stack-delete-complete", "--stack-name", stack)).ExitCode);
        Assert.Contains("NoSuchEntity", (await RunAsync(cli, "iam", "get-role", "--role-name", $"deploy-{suffix}-handler")).Error, StringComparison.Ordinal);
        Assert.Contains("NoSuchEntity", (await RunAsync(cli, "iam", "get-user", "--user-name", $"deploy-{suffix}-invoker")).Error, StringComparison.Ordinal);
        Assert.Contains("ResourceNotFoundException", (await RunAsync(cli, "secretsmanager", "describe-secret", "--secret-id", $"deploy-{suffix}/config")).Error, StringComparison.Ordinal);
        Assert.Contains("ParameterNotFound", (await RunAsync(cli, "ssm", "get-parameter", "--name", $"/deploy-{suffix}/mode")).Error, StringComparison.Ordinal);
        Assert.Equal(0, (await JsonAsync(cli, "logs", "describe-log-groups", "--log-group-name-prefix", $"/deploy-{suffix}/")).GetProperty("logGroups").GetArrayLength());
        Assert.Equal(0, (await RunAsync(cli, "s3api", "head-bucket", "--bucket", bucket)).ExitCode);
    }

    private Task<ExternalProcess.Result> RunAsync(string cli, params string[] arguments) =>
        AwsCli.RunProgramAsync(cli, _localAws.HttpsLoopback, TestPrincipals.Admin, new Dictionary<string, string> { ["AWS_CA_BUNDLE"] = _localAws.CaCertificateFile }, arguments);

    private async Task<JsonElement> JsonAsync(string cli, params string[] arguments)
    {
        var result = await RunAsync(cli, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)}: {result.Error}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }
}
