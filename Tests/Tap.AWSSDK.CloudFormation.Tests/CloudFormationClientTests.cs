using System.Net;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Tap.Testing;

namespace Tap.AWSSDK.CloudFormation.Tests;

[Trait("Category", "Process")]
public sealed class CloudFormationClientTests(LocalAwsStacks localAws) : IClassFixture<LocalAwsStacks>
{
    private const string Template = """
        {
          "Parameters": { "Greeting": { "Type": "String", "Default": "hello" } },
          "Resources": { "Note": { "Type": "AWS::SSM::Parameter", "Properties": { "Type": "String", "Value": { "Ref": "Greeting" } } } },
          "Outputs": { "NoteName": { "Value": { "Ref": "Note" }, "Description": "The parameter's name." } }
        }
        """;

    [Fact]
    public async Task A_missing_stack_is_cloudformations_validation_error_with_its_request_id()
    {
        using var client = localAws.Client();

        var error = await Assert.ThrowsAsync<AmazonCloudFormationException>(() =>
            client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "no-such-stack" }, TestContext.Current.CancellationToken));

        Assert.Equal("ValidationError", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("Stack with id no-such-stack does not exist", error.Message);
        Assert.False(string.IsNullOrEmpty(error.RequestId));
    }

    [Fact]
    public async Task A_key_localaws_does_not_know_is_refused()
    {
        using var client = localAws.Client(TestCredentials.New());

        var error = await Assert.ThrowsAsync<AmazonCloudFormationException>(() =>
            client.DescribeStacksAsync(new DescribeStacksRequest(), TestContext.Current.CancellationToken));

        Assert.Equal("InvalidClientTokenId", error.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task A_change_set_creates_a_stack_whose_parameters_tags_outputs_events_and_resources_read_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = localAws.Client();

        var created = await client.CreateChangeSetAsync(new CreateChangeSetRequest
        {
            StackName = "client-wire",
            ChangeSetName = "first",
            ChangeSetType = ChangeSetType.CREATE,
            TemplateBody = Template,
            Parameters = [new Parameter { ParameterKey = "Greeting", ParameterValue = "hi there & more" }],
            Capabilities = ["CAPABILITY_IAM"],
            Tags = [new Tag { Key = "team", Value = "payments" }],
        }, cancellationToken);
        var changeSet = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = created.Id }, cancellationToken);
        while (changeSet.Status == ChangeSetStatus.CREATE_PENDING || changeSet.Status == ChangeSetStatus.CREATE_IN_PROGRESS)
        {
            await Task.Delay(100, cancellationToken);
            changeSet = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = created.Id }, cancellationToken);
        }

        Assert.Equal(ChangeSetStatus.CREATE_COMPLETE, changeSet.Status);
        Assert.Equal(ExecutionStatus.AVAILABLE, changeSet.ExecutionStatus);
        Assert.Equal(created.StackId, changeSet.StackId);
        var change = Assert.Single(changeSet.Changes!).ResourceChange!;
        Assert.Equal(ChangeAction.Add, change.Action);
        Assert.Equal(("Note", "AWS::SSM::Parameter"), (change.LogicalResourceId, change.ResourceType));

        await client.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = created.Id }, cancellationToken);
        Stack stack;
        do
        {
            await Task.Delay(100, cancellationToken);
            stack = Assert.Single((await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = "client-wire" }, cancellationToken)).Stacks!);
        }
        while (stack.StackStatus!.Value.EndsWith("IN_PROGRESS", StringComparison.Ordinal));

        Assert.Equal(StackStatus.CREATE_COMPLETE, stack.StackStatus);
        Assert.Equal("hi there & more", Assert.Single(stack.Parameters!).ParameterValue);
        Assert.Equal("payments", Assert.Single(stack.Tags!).Value);
        var output = Assert.Single(stack.Outputs!);
        Assert.Equal(("NoteName", "The parameter's name."), (output.OutputKey, output.Description));
        Assert.NotNull(stack.CreationTime);

        var resource = Assert.Single((await client.DescribeStackResourcesAsync(new DescribeStackResourcesRequest { StackName = "client-wire" }, cancellationToken)).StackResources!);
        Assert.Equal((output.OutputValue, ResourceStatus.CREATE_COMPLETE), (resource.PhysicalResourceId, resource.ResourceStatus));
        var events = (await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = "client-wire" }, cancellationToken)).StackEvents!;
        Assert.Equal(("client-wire", "CREATE_COMPLETE"), (events[0].LogicalResourceId, events[0].ResourceStatus!.Value));
        Assert.Contains(events, e => e.LogicalResourceId == "Note" && e.ResourceStatus == ResourceStatus.CREATE_IN_PROGRESS && e.Timestamp is not null);

        await client.DeleteStackAsync(new DeleteStackRequest { StackName = "client-wire" }, cancellationToken);
    }
}
