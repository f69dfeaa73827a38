using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.CloudFormation;
using Tap.LocalAws.Ssm;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// Change sets through CloudFormation's Query API: what a CREATE or UPDATE change set shows before anything runs
/// (Add, Modify with its replacement, Remove), executing it, one that would change nothing, and the refusals.
/// </summary>
public sealed class ChangeSetApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Cfn = CloudFormationQuery.Ns;

    private static string Template(string stack, string value, bool withExtra) => $$"""
        Parameters:
          Token: {Type: String, NoEcho: true, Default: token-value-77cd}
        Resources:
          Named:
            Type: AWS::SSM::Parameter
            Properties: {Name: '/{{stack}}/named-{{value}}', Type: String, Value: '{{value}}'}
          Follower:
            Type: AWS::SSM::Parameter
            Properties: {Name: '/{{stack}}/follower', Type: String, Value: !Ref Named}
          {{(withExtra ? "Extra: {Type: 'AWS::SSM::Parameter', Properties: {Type: String, Value: extra}}" : string.Empty)}}
        """;

    [Fact]
    public async Task A_CREATE_change_set_shows_what_it_adds_creates_nothing_until_executed_then_creates_the_stack()
    {
        var stack = NewName();
        var (status, created) = await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "first"), ("ChangeSetType", "CREATE"),
            ("TemplateBody", Template(stack, "one", withExtra: true)));
        Assert.Equal(HttpStatusCode.OK, status);
        var changeSetId = created.Descendants(Cfn + "Id").Single().Value;
        Assert.StartsWith($"arn:aws:cloudformation:us-east-1:{TestPrincipals.AccountId}:changeSet/first/", changeSetId, StringComparison.Ordinal);

        Assert.Equal("REVIEW_IN_PROGRESS", await StatusAsync(stack));
        Assert.Null(Ssm().Find($"/{stack}/named-one"));
        var described = await DescribeAsync(changeSetId);
        Assert.Equal(("CREATE_COMPLETE", "AVAILABLE"), (described.Descendants(Cfn + "Status").Single().Value, described.Descendants(Cfn + "ExecutionStatus").Single().Value));
        Assert.Equal(["Add Named", "Add Follower", "Add Extra"], Changes(described));
        Assert.Equal("****", described.Descendants(Cfn + "ParameterValue").Single().Value);
        Assert.DoesNotContain("token-value-77cd", described.ToString(), StringComparison.Ordinal);

        await CallAsync(TestPrincipals.Admin, "ExecuteChangeSet", ("ChangeSetName", "first"), ("StackName", stack));
        await Runner().WhenIdleAsync();

        Assert.Equal("CREATE_COMPLETE", await StatusAsync(stack));
        Assert.Equal("/" + stack + "/named-one", Ssm().Find($"/{stack}/follower")!.Current.Value);
        Assert.Equal("EXECUTE_COMPLETE", (await DescribeAsync(changeSetId)).Descendants(Cfn + "ExecutionStatus").Single().Value);
        Assert.Equal("InvalidChangeSetStatus", ErrorCode((await CallAsync(TestPrincipals.Admin, "ExecuteChangeSet", ("ChangeSetName", changeSetId))).Xml));
        await DeleteAsync(stack);
    }

    [Fact]
    public async Task An_UPDATE_change_set_shows_replacement_dynamic_changes_and_removals_and_executing_it_drops_the_others()
    {
        var stack = NewName();
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template(stack, "one", withExtra: true)));
        await Runner().WhenIdleAsync();

        var (_, update) = await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "rename"), ("TemplateBody", Template(stack, "two", withExtra: false)));
        await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "other"), ("UsePreviousTemplate", "true"),
            ("Parameters.member.1.ParameterKey", "Token"), ("Parameters.member.1.ParameterValue", "changed"));
        var described = await DescribeAsync(update.Descendants(Cfn + "Id").Single().Value);

        Assert.Equal(["Modify Named True", "Modify Follower False", "Remove Extra"], Changes(described, withReplacement: true));
        var named = ResourceChange(described, "Named");
        Assert.Equal(["Name Always Static", "Value Never Static"], named.Descendants(Cfn + "Details").Elements(Cfn + "member").Select(Detail));
        Assert.Equal(["Value Never Dynamic"], ResourceChange(described, "Follower").Descendants(Cfn + "Details").Elements(Cfn + "member").Select(Detail));
        Assert.Equal("/" + stack + "/named-one", ResourceChange(described, "Named").Element(Cfn + "PhysicalResourceId")!.Value);
        Assert.NotNull(Ssm().Find($"/{stack}/named-one"));

        await CallAsync(TestPrincipals.Admin, "ExecuteChangeSet", ("ChangeSetName", "rename"), ("StackName", stack));
        await Runner().WhenIdleAsync();

        Assert.Equal("UPDATE_COMPLETE", await StatusAsync(stack));
        Assert.Null(Ssm().Find($"/{stack}/named-one"));
        Assert.Equal("/" + stack + "/named-two", Ssm().Find($"/{stack}/follower")!.Current.Value);
        var (_, listed) = await CallAsync(TestPrincipals.Admin, "ListChangeSets", ("StackName", stack));
        Assert.Equal(["rename"], listed.Descendants(Cfn + "ChangeSetName").Select(n => n.Value));
        await DeleteAsync(stack);
    }

    [Fact]
    public async Task A_change_set_that_changes_nothing_fails_in_CloudFormations_words_and_cannot_be_executed()
    {
        var stack = NewName();
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template(stack, "one", withExtra: false)));
        await Runner().WhenIdleAsync();

        var (status, created) = await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "same"), ("TemplateBody", Template(stack, "one", withExtra: false)));

        Assert.Equal(HttpStatusCode.OK, status);
        var described = await DescribeAsync(created.Descendants(Cfn + "Id").Single().Value);
        Assert.Equal(("FAILED", "UNAVAILABLE"), (described.Descendants(Cfn + "Status").Single().Value, described.Descendants(Cfn + "ExecutionStatus").Single().Value));
        Assert.Equal("The submitted information didn't contain changes. Submit different information to create a change set.", described.Descendants(Cfn + "StatusReason").Single().Value);
        var (refused, error) = await CallAsync(TestPrincipals.Admin, "ExecuteChangeSet", ("ChangeSetName", "same"), ("StackName", stack));
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidChangeSetStatus"), (refused, ErrorCode(error)));

        await CallAsync(TestPrincipals.Admin, "DeleteChangeSet", ("ChangeSetName", "same"), ("StackName", stack));
        Assert.Equal("ChangeSetNotFound", ErrorCode((await CallAsync(TestPrincipals.Admin, "DescribeChangeSet", ("ChangeSetName", "same"), ("StackName", stack))).Xml));
        await DeleteAsync(stack);
    }

    [Fact]
    public async Task Deleting_a_change_set_name_the_stack_does_not_have_succeeds_as_the_CDK_CLI_expects()
    {
        var stack = NewName();
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template(stack, "one", withExtra: false)));
        await Runner().WhenIdleAsync();

        Assert.Equal(HttpStatusCode.OK, (await CallAsync(TestPrincipals.Admin, "DeleteChangeSet", ("ChangeSetName", "cdk-deploy-change-set"), ("StackName", stack))).Status);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await StatusAndCodeAsync(TestPrincipals.Reader, "DeleteChangeSet", ("ChangeSetName", "cdk-deploy-change-set"), ("StackName", stack)));
        Assert.Equal("ValidationError", Error((await CallAsync(TestPrincipals.Admin, "DeleteChangeSet", ("ChangeSetName", "c"), ("StackName", NewName()))).Xml).Code);
        var unknownArn = $"arn:aws:cloudformation:us-east-1:{TestPrincipals.AccountId}:changeSet/c/{Guid.NewGuid()}";
        Assert.Equal((HttpStatusCode.NotFound, "ChangeSetNotFound"), await StatusAndCodeAsync(TestPrincipals.Admin, "DeleteChangeSet", ("ChangeSetName", unknownArn)));
        await DeleteAsync(stack);
    }

    [Fact]
    public async Task Change_sets_are_refused_as_CloudFormation_refuses_them()
    {
        var stack = NewName();
        var body = Template(stack, "one", withExtra: false);
        Assert.Equal(("ValidationError", $"Stack [{stack}] does not exist"),
            Error((await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "u"), ("TemplateBody", body))).Xml));
        Assert.Equal("ValidationError", Error((await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "1bad"), ("ChangeSetType", "CREATE"), ("TemplateBody", body))).Xml).Code);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await StatusAndCodeAsync(TestPrincipals.Reader, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", body)));

        await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", body));
        Assert.Equal("AlreadyExistsException", Error((await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "c"), ("ChangeSetType", "CREATE"), ("TemplateBody", body))).Xml).Code);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await StatusAndCodeAsync(TestPrincipals.Reader, "DescribeChangeSet", ("ChangeSetName", "c"), ("StackName", stack)));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), await StatusAndCodeAsync(TestPrincipals.Reader, "DescribeChangeSet", ("ChangeSetName", "missing"), ("StackName", stack)));
        Assert.Equal((HttpStatusCode.NotFound, "ChangeSetNotFound"), await StatusAndCodeAsync(TestPrincipals.Admin, "DescribeChangeSet", ("ChangeSetName", "missing"), ("StackName", stack)));

        // A stack that only ever had a change set is deleted at once, with nothing to delete.
        await DeleteAsync(stack);
        Assert.Equal($"Stack with id {stack} does not exist", Error((await CallAsync(TestPrincipals.Admin, "DescribeStacks", ("StackName", stack))).Xml).Message);

        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", body));
        await Runner().WhenIdleAsync();
        Assert.Equal(("ValidationError", $"Stack [{stack}] already exists and cannot be created again with the changeSet [again]."),
            Error((await CallAsync(TestPrincipals.Admin, "CreateChangeSet", ("StackName", stack), ("ChangeSetName", "again"), ("ChangeSetType", "CREATE"), ("TemplateBody", body))).Xml));
        await DeleteAsync(stack);
    }

    private static string NewName() => "c" + Guid.NewGuid().ToString("N")[..12];

    private static List<string> Changes(XDocument described, bool withReplacement = false) =>
        [.. described.Descendants(Cfn + "ResourceChange").Select(c => $"{c.Element(Cfn + "Action")!.Value} {c.Element(Cfn + "LogicalResourceId")!.Value}"
            + (withReplacement && c.Element(Cfn + "Replacement") is { } replacement ? " " + replacement.Value : string.Empty))];

    private static XElement ResourceChange(XDocument described, string logicalId) =>
        described.Descendants(Cfn + "ResourceChange").Single(c => c.Element(Cfn + "LogicalResourceId")!.Value == logicalId);

    private static string Detail(XElement detail) =>
        $"{detail.Descendants(Cfn + "Name").Single().Value} {detail.Descendants(Cfn + "RequiresRecreation").Single().Value} {detail.Element(Cfn + "Evaluation")!.Value}";

    private static string ErrorCode(XDocument xml) => xml.Descendants(Cfn + "Code").Single().Value;

    private static (string Code, string Message) Error(XDocument xml) => (ErrorCode(xml), xml.Descendants(Cfn + "Message").Single().Value);

    private ParameterStore Ssm() => factory.Services.GetRequiredService<ParameterStore>();

    private StackOperationRunner Runner() => factory.Services.GetRequiredService<StackOperationRunner>();

    private async Task<XDocument> DescribeAsync(string changeSetId)
    {
        var (status, xml) = await CallAsync(TestPrincipals.Admin, "DescribeChangeSet", ("ChangeSetName", changeSetId));
        Assert.True(status == HttpStatusCode.OK, xml.ToString());
        return xml;
    }

    private async Task<string> StatusAsync(string stack) =>
        (await CallAsync(TestPrincipals.Admin, "DescribeStacks", ("StackName", stack))).Xml.Descendants(Cfn + "StackStatus").Single().Value;

    private async Task DeleteAsync(string stack)
    {
        await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
    }

    private async Task<(HttpStatusCode, string)> StatusAndCodeAsync(ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await CallAsync(caller, action, parameters);
        return (status, ErrorCode(xml));
    }

    private Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters) =>
        CloudFormationQuery.CallAsync(factory, caller, action, parameters);
}
