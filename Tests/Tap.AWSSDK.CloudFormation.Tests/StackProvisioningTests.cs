using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Amazon.SecretsManager.Model;
using Aspire.Hosting.AWS.Provisioning;
using Microsoft.Extensions.Logging.Testing;
using Tap.Aws.Hosting.Provisioning;

namespace Tap.AWSSDK.CloudFormation.Tests;

/// <summary>The AppHost's provisioning of a template, step by step, against LocalAws's CloudFormation.</summary>
[Trait("Category", "Process")]
public sealed class StackProvisioningTests(LocalAwsStacks localAws) : IClassFixture<LocalAwsStacks>
{
    private const string Template = """
        {
          "Parameters": { "Greeting": { "Type": "String" } },
          "Resources": {
            "Config": { "Type": "AWS::SecretsManager::Secret", "Properties": { "GenerateSecretString": { "PasswordLength": 32 } } },
            "Note": { "Type": "AWS::SSM::Parameter", "Properties": { "Name": "/provisioning/note", "Type": "String", "Value": { "Ref": "Greeting" } } }
          },
          "Outputs": { "SecretArn": { "Value": { "Ref": "Config" } }, "Url": { "Value": "http://localhost:4000/prod/" } }
        }
        """;

    private readonly FakeLogger _logger = new();
    private readonly List<string> _statuses = [];

    [Fact]
    public async Task A_stack_is_created_then_left_alone_while_unchanged_then_updated_in_place()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = localAws.Client();
        var deployment = Deployment("kept", Template, "hello");

        var created = await Executor(client, deployment).ExecuteAsync(cancellationToken);

        Assert.True(created.Changed);
        Assert.Equal(StackStatus.CREATE_COMPLETE, created.Stack.StackStatus);
        Assert.Equal(deployment.TemplateHash, Assert.Single(created.Stack.Tags!, t => t.Key == StackDeployment.TemplateHashTag).Value);
        Assert.Equal("http://localhost:4000/prod/", Assert.Single(created.Stack.Outputs!, o => o.OutputKey == "Url").OutputValue);
        Assert.Contains("CREATE_COMPLETE", _statuses);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("Note AWS::SSM::Parameter CREATE_COMPLETE", StringComparison.Ordinal));
        var secretArn = created.Stack.Outputs!.Single(o => o.OutputKey == "SecretArn").OutputValue!;
        var secret = await SecretValueAsync(secretArn);
        var events = await EventCountAsync(client, "kept");

        var again = await Executor(client, Deployment("kept", Template, "hello")).ExecuteAsync(cancellationToken);

        Assert.False(again.Changed);
        Assert.Equal(events, await EventCountAsync(client, "kept"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("unchanged, so it is not updated", StringComparison.Ordinal));

        var updated = await Executor(client, Deployment("kept", Template, "changed")).ExecuteAsync(cancellationToken);

        Assert.True(updated.Changed);
        Assert.Equal(StackStatus.UPDATE_COMPLETE, updated.Stack.StackStatus);
        Assert.Equal(created.Stack.StackId, updated.Stack.StackId);
        Assert.Equal(secretArn, updated.Stack.Outputs!.Single(o => o.OutputKey == "SecretArn").OutputValue);
        Assert.Equal(secret, await SecretValueAsync(secretArn));
        Assert.Equal("changed", Assert.Single(updated.Stack.Parameters!).ParameterValue);
    }

    [Fact]
    public async Task A_failed_creation_fails_with_its_reason_and_the_next_provisioning_starts_afresh()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = localAws.Client();
        await Executor(client, Deployment("owner", Template.Replace("/provisioning/note", "/provisioning/taken", StringComparison.Ordinal), "mine")).ExecuteAsync(cancellationToken);
        var colliding = Template.Replace("/provisioning/note", "/provisioning/taken", StringComparison.Ordinal);

        var failure = await Assert.ThrowsAsync<AWSProvisioningException>(() => Executor(client, Deployment("collider", colliding, "theirs")).ExecuteAsync(cancellationToken));

        Assert.StartsWith("CloudFormation stack collider is ROLLBACK_COMPLETE: Note: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(HandlerErrorCode: AlreadyExists)", failure.Message, StringComparison.Ordinal);
        Assert.Equal(StackStatus.ROLLBACK_COMPLETE, (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "collider" }, cancellationToken)).Stacks![0].StackStatus);

        var recreated = await Executor(client, Deployment("collider", Template.Replace("/provisioning/note", "/provisioning/free", StringComparison.Ordinal), "theirs"))
            .ExecuteAsync(cancellationToken);

        Assert.Equal(StackStatus.CREATE_COMPLETE, recreated.Stack.StackStatus);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("creation rolled back, so it is deleted and created again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_template_cloudformation_refuses_fails_at_the_change_set_and_creates_nothing()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = localAws.Client();

        var failure = await Assert.ThrowsAsync<AWSProvisioningException>(() => Executor(client,
            new StackDeployment("refused", """{"Resources":{"Thing":{"Type":"AWS::Nope::Thing"}}}""") { PollingInterval = TimeSpan.FromMilliseconds(100) })
            .ExecuteAsync(cancellationToken));

        Assert.StartsWith("Error creating change set: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("AWS::Nope::Thing", failure.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<AmazonCloudFormationException>(() =>
            client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "refused" }, cancellationToken));
        Assert.Equal("ValidationError", missing.ErrorCode);
    }

    private static StackDeployment Deployment(string stackName, string template, string greeting) => new(stackName, template)
    {
        Parameters = new Dictionary<string, string> { ["Greeting"] = greeting },
        PollingInterval = TimeSpan.FromMilliseconds(100),
    };

    private CloudFormationStackExecutor Executor(AmazonCloudFormationClient client, StackDeployment deployment) => new(client, deployment, _logger, stack =>
    {
        _statuses.Add(stack.StackStatus!.Value);
        return Task.CompletedTask;
    }, TimeProvider.System);

    private async Task<string?> SecretValueAsync(string secretArn)
    {
        using var secrets = localAws.SecretsManager();
        return (await secrets.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secretArn }, TestContext.Current.CancellationToken)).SecretString;
    }

    private static async Task<int> EventCountAsync(AmazonCloudFormationClient client, string stackName) =>
        (await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stackName }, TestContext.Current.CancellationToken)).StackEvents!.Count;
}
