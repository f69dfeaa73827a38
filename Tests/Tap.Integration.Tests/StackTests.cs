using Amazon;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Aspire.Hosting.ApplicationModel;
using Tap.Aws.Hosting.Provisioning;
using Tap.Testing;

namespace Tap.Integration.Tests;

/// <summary>
/// TapStack as the AppHost deploys it into LocalAws: the dashboard's stack resource, and what provisioning it again
/// does — nothing when it is unchanged (as on a second start), an update in place when it changed.
/// </summary>
[Trait("Category", "Process")]
public sealed class StackTests(TapAppFixture fixture)
{
    private const string StatusProperty = "aws.cloudformation.stack.status";
    private const string OutputPrefix = "aws.cloudformation.output.";
    private const string ResourcePrefix = "aws.cloudformation.resource.";

    [Fact]
    public async Task The_stack_resource_shows_its_status_outputs_resources_and_events()
    {
        using var cloudFormation = await CloudFormationAsync();
        var stack = await DescribeAsync(cloudFormation);
        var snapshot = Assert.Single(await fixture.InstanceStatesAsync(fixture.Stack));
        var properties = snapshot.Properties.ToDictionary(p => p.Name, p => p.Value?.ToString(), StringComparer.Ordinal);

        Assert.Equal(KnownResourceStates.Running, snapshot.State?.Text);
        Assert.Equal(stack.StackStatus?.Value, properties[StatusProperty]);
        Assert.EndsWith("_COMPLETE", properties[StatusProperty], StringComparison.Ordinal);
        foreach (var output in new[] { "ApiUrl", "SecretArn", "InvokerRoleArn" })
        {
            Assert.Equal(stack.Outputs!.Single(o => o.OutputKey == output).OutputValue, properties[OutputPrefix + output]);
        }

        Assert.Contains(snapshot.Urls, url => url.Name == "ApiUrl" && url.Url == fixture.StackOutput("ApiUrl"));
        Assert.Contains(properties, p => p.Key.StartsWith(ResourcePrefix, StringComparison.Ordinal) && p.Value!.StartsWith("AWS::ApiGatewayV2::Stage ", StringComparison.Ordinal));
        Assert.Contains(properties, p => p.Key.StartsWith(ResourcePrefix, StringComparison.Ordinal) && p.Value!.StartsWith("AWS::SecretsManager::Secret ", StringComparison.Ordinal));

        var events = await cloudFormation.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = stack.StackId }, TestContext.Current.CancellationToken);
        Assert.Contains(events.StackEvents!, e => e.LogicalResourceId == stack.StackName && e.ResourceStatus?.Value == "CREATE_COMPLETE");
    }

    [Fact]
    public async Task Unchanged_it_is_not_updated_and_changed_it_is_updated_in_place_keeping_the_secret()
    {
        using var cloudFormation = await CloudFormationAsync();
        var before = await DescribeAsync(cloudFormation);
        var secretBefore = await SecretsManagerClients.SecretValuesAsync(fixture);
        var arnBefore = fixture.StackOutput("SecretArn");
        var externalId = (await fixture.Resource<ParameterResource>("invoker-external-id").GetValueAsync(TestContext.Current.CancellationToken))!;

        // What a second start does with the stack unchanged: no change set, no update.
        await ProvisionAgainAsync();
        var unchanged = await DescribeAsync(cloudFormation);
        Assert.Equal((before.StackStatus?.Value, before.LastUpdatedTime), (unchanged.StackStatus?.Value, unchanged.LastUpdatedTime));

        // A changed stack (the invoker role's external id): updated in place, the secret and its values kept.
        var changedId = "changed-" + Guid.NewGuid().ToString("N");
        fixture.Stack.AddParameter(TapAppFixture.ExternalIdParameter, changedId);
        try
        {
            await ProvisionAgainAsync();
            var changed = await DescribeAsync(cloudFormation);
            Assert.Equal("UPDATE_COMPLETE", changed.StackStatus?.Value);
            Assert.Equal(before.StackId, changed.StackId);
            Assert.Equal(arnBefore, fixture.StackOutput("SecretArn"));
            Assert.Equal(secretBefore, await SecretsManagerClients.SecretValuesAsync(fixture));
            Assert.True(await CanAssumeInvokerRoleAsync(changedId));
            Assert.False(await CanAssumeInvokerRoleAsync(externalId));
        }
        finally
        {
            fixture.Stack.AddParameter(TapAppFixture.ExternalIdParameter, externalId);
            await ProvisionAgainAsync();
        }

        Assert.True(await CanAssumeInvokerRoleAsync(externalId));
    }

    private async Task ProvisionAgainAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await StackReprovisioning.ProvisionAgainAsync([fixture.Stack], fixture.App.Services, timeout.Token);
        Assert.Equal(KnownResourceStates.Running, Assert.Single(await fixture.InstanceStatesAsync(fixture.Stack)).State?.Text);
    }

    private async Task<Stack> DescribeAsync(AmazonCloudFormationClient cloudFormation) =>
        Assert.Single((await cloudFormation.DescribeStacksAsync(new DescribeStacksRequest { StackName = fixture.Stack.StackName }, TestContext.Current.CancellationToken)).Stacks!);

    private async Task<bool> CanAssumeInvokerRoleAsync(string externalId)
    {
        var admin = await fixture.AdminCredentialsAsync();
        using var sts = new AmazonSecurityTokenServiceClient(admin.ToAwsCredentials(),
            new AmazonSecurityTokenServiceConfig { ServiceURL = fixture.LocalAws.PrimaryEndpoint.Url, AuthenticationRegion = fixture.Region });
        try
        {
            await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = fixture.StackOutput("InvokerRoleArn"), RoleSessionName = "stack-test", ExternalId = externalId }, TestContext.Current.CancellationToken);
            return true;
        }
        catch (AmazonSecurityTokenServiceException ex) when (ex.ErrorCode == "AccessDenied")
        {
            return false;
        }
    }

    private async Task<AmazonCloudFormationClient> CloudFormationAsync()
    {
        var admin = await fixture.AdminCredentialsAsync();
        return new AmazonCloudFormationClient(admin.ToAwsCredentials(),
            new AmazonCloudFormationConfig { ServiceURL = fixture.LocalAws.PrimaryEndpoint.Url, RegionEndpoint = RegionEndpoint.GetBySystemName(fixture.Region) });
    }
}
