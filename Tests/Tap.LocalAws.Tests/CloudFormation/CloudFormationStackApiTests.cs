using System.Net;
using System.Xml.Linq;
using Amazon.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.CloudFormation;
using Tap.LocalAws.Ssm;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// Stacks through CloudFormation's Query API: a stack's SSM parameter is a real parameter, made as the stack's
/// principal; outputs and exports; events newest first; rollback that leaves nothing; updates; deletion; NoEcho
/// masked; RoleARN and what its role may do.
/// </summary>
public sealed class CloudFormationStackApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Cfn = CloudFormationQuery.Ns;

    private static string Template(string name, string value, string extra = "") => $$"""
        Parameters:
          Token: {Type: String, NoEcho: true, Default: token-value-99ab}
        Resources:
          Param:
            Type: AWS::SSM::Parameter
            Properties: {Name: '{{name}}', Type: String, Value: '{{value}}', Description: !Sub 'made by ${AWS::StackName}'}
          CDKMetadata:
            Type: AWS::CDK::Metadata
            Properties: {Analytics: 'v2:deflate64:abc'}
          {{extra}}
        Outputs:
          ParamName:
            Value: !Ref Param
            Export: {Name: !Sub '${AWS::StackName}-param'}
          ParamValue:
            Value: !GetAtt Param.Value
        """;

    [Fact]
    public async Task A_stack_makes_its_parameter_answers_with_outputs_and_is_deleted_with_it()
    {
        var stack = NewName();
        var parameter = $"/{stack}/mode";
        var (status, created) = await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template(parameter, "blue")));
        Assert.Equal(HttpStatusCode.OK, status);
        var stackId = created.Descendants(Cfn + "StackId").Single().Value;
        Assert.StartsWith($"arn:aws:cloudformation:us-east-1:{TestPrincipals.AccountId}:stack/{stack}/", stackId, StringComparison.Ordinal);

        var described = await SettledAsync(stack);
        Assert.Equal("CREATE_COMPLETE", described.Element(Cfn + "StackStatus")!.Value);
        Assert.Equal("blue", Ssm().Find(parameter)!.Current.Value);
        Assert.Equal($"made by {stack}", Ssm().Find(parameter)!.Current.Description);
        var outputs = described.Element(Cfn + "Outputs")!.Elements(Cfn + "member").ToDictionary(o => o.Element(Cfn + "OutputKey")!.Value, o => o.Element(Cfn + "OutputValue")!.Value);
        Assert.Equal(new Dictionary<string, string> { ["ParamName"] = parameter, ["ParamValue"] = "blue" }, outputs);
        Assert.Equal("****", described.Element(Cfn + "Parameters")!.Element(Cfn + "member")!.Element(Cfn + "ParameterValue")!.Value);

        var (_, everything) = await CallAsync(TestPrincipals.Admin, "DescribeStacks", ("StackName", stack));
        var (_, events) = await CallAsync(TestPrincipals.Admin, "DescribeStackEvents", ("StackName", stack));
        var (_, template) = await CallAsync(TestPrincipals.Admin, "GetTemplate", ("StackName", stackId));
        var (_, resources) = await CallAsync(TestPrincipals.Admin, "DescribeStackResources", ("StackName", stack));
        var (_, exports) = await CallAsync(TestPrincipals.Admin, "ListExports");
        // The NoEcho value is in no answer but GetTemplate's, which gives the template back as written (its default is in it).
        Assert.DoesNotContain("token-value-99ab", everything.ToString() + events + resources + exports, StringComparison.Ordinal);
        Assert.Equal($"{stack} CREATE_COMPLETE", EventLine(events.Descendants(Cfn + "member").First()));
        Assert.Equal($"{stack} CREATE_IN_PROGRESS", EventLine(events.Descendants(Cfn + "member").Last()));
        Assert.Contains("AWS::SSM::Parameter", template.Descendants(Cfn + "TemplateBody").Single().Value, StringComparison.Ordinal);
        Assert.Equal([("Param", parameter)], resources.Descendants(Cfn + "member").Where(m => m.Element(Cfn + "ResourceType")!.Value == "AWS::SSM::Parameter")
            .Select(m => (m.Element(Cfn + "LogicalResourceId")!.Value, m.Element(Cfn + "PhysicalResourceId")!.Value)));
        Assert.Contains(exports.Descendants(Cfn + "member"), e => e.Element(Cfn + "Name")!.Value == $"{stack}-param" && e.Element(Cfn + "Value")!.Value == parameter);

        Assert.Equal("AlreadyExistsException", ErrorCode((await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template(parameter, "x")))).Xml));

        await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
        Assert.Null(Ssm().Find(parameter));
        Assert.Equal($"Stack with id {stack} does not exist", ErrorMessage((await CallAsync(TestPrincipals.Admin, "DescribeStacks", ("StackName", stack))).Xml));
        var (_, listed) = await CallAsync(TestPrincipals.Admin, "ListStacks", ("StackStatusFilter.member.1", "DELETE_COMPLETE"));
        Assert.Contains(listed.Descendants(Cfn + "StackId"), id => id.Value == stackId);
        Assert.Equal("DELETE_COMPLETE", (await SettledAsync(stackId)).Element(Cfn + "StackStatus")!.Value);
    }

    [Fact]
    public async Task An_invalid_property_rolls_the_stack_back_and_leaves_no_parameter()
    {
        var stack = NewName();
        var extra = "Broken: {Type: 'AWS::SSM::Parameter', DependsOn: Param, Properties: {Type: String, Value: x, Nmae: typo}}";
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/mode", "blue", extra)));

        var described = await SettledAsync(stack);
        Assert.Equal("ROLLBACK_COMPLETE", described.Element(Cfn + "StackStatus")!.Value);
        Assert.Null(Ssm().Find($"/{stack}/mode"));
        var (_, events) = await CallAsync(TestPrincipals.Admin, "DescribeStackEvents", ("StackName", stack));
        var failed = events.Descendants(Cfn + "member").Single(e => e.Element(Cfn + "ResourceStatus")!.Value == "CREATE_FAILED");
        Assert.Equal("Properties validation failed for resource Broken with message: #: extraneous key [Nmae] is not permitted", failed.Element(Cfn + "ResourceStatusReason")!.Value);
        Assert.Contains("can not be updated", ErrorMessage((await CallAsync(TestPrincipals.Admin, "UpdateStack", ("StackName", stack), ("UsePreviousTemplate", "true"))).Xml), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_update_changes_the_value_in_place_replaces_on_a_new_name_and_refuses_no_change()
    {
        var stack = NewName();
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/a", "one")));
        await SettledAsync(stack);

        await CallAsync(TestPrincipals.Admin, "UpdateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/a", "two")));
        Assert.Equal("UPDATE_COMPLETE", (await SettledAsync(stack)).Element(Cfn + "StackStatus")!.Value);
        Assert.Equal(("two", 2L), (Ssm().Find($"/{stack}/a")!.Current.Value, Ssm().Find($"/{stack}/a")!.Current.Version));

        await CallAsync(TestPrincipals.Admin, "UpdateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/b", "two")));
        Assert.Equal("UPDATE_COMPLETE", (await SettledAsync(stack)).Element(Cfn + "StackStatus")!.Value);
        Assert.Null(Ssm().Find($"/{stack}/a"));
        Assert.Equal("two", Ssm().Find($"/{stack}/b")!.Current.Value);

        Assert.Equal("No updates are to be performed.",
            ErrorMessage((await CallAsync(TestPrincipals.Admin, "UpdateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/b", "two")))).Xml));
        await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", stack));
        await Runner().WhenIdleAsync();
    }

    [Fact]
    public async Task With_RoleARN_the_stack_runs_as_the_role_and_fails_where_the_role_may_not_act()
    {
        var stack = NewName();
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", stack), ("TemplateBody", Template($"/{stack}/mode", "blue")), ("RoleARN", TestPrincipals.RoleArn));

        var described = await SettledAsync(stack);
        Assert.Equal("ROLLBACK_COMPLETE", described.Element(Cfn + "StackStatus")!.Value);
        Assert.Equal(TestPrincipals.RoleArn, described.Element(Cfn + "RoleARN")!.Value);
        var (_, events) = await CallAsync(TestPrincipals.Admin, "DescribeStackEvents", ("StackName", stack));
        var reason = events.Descendants(Cfn + "member").Single(e => e.Element(Cfn + "ResourceStatus")!.Value == "CREATE_FAILED").Element(Cfn + "ResourceStatusReason")!.Value;
        Assert.Contains("is not authorized to perform: ssm:PutParameter", reason, StringComparison.Ordinal);
        Assert.Contains("HandlerErrorCode: AccessDenied", reason, StringComparison.Ordinal);

        var (status, denied) = await CallAsync(TestPrincipals.Reader, "CreateStack", ("StackName", NewName()), ("TemplateBody", Template("/x", "y")));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (status, ErrorCode(denied)));
    }

    [Fact]
    public async Task An_export_is_the_accounts_one_name_and_cannot_go_while_another_stack_imports_it()
    {
        var (exporter, importer, rival) = (NewName(), NewName(), NewName());
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", exporter), ("TemplateBody", Template($"/{exporter}/mode", "blue")));
        await SettledAsync(exporter);
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", importer), ("TemplateBody", $$$"""
            Resources:
              Copy: {Type: 'AWS::SSM::Parameter', Properties: {Name: '/{{{importer}}}/copy', Type: String, Value: !ImportValue '{{{exporter}}}-param'}}
            """));
        Assert.Equal("CREATE_COMPLETE", (await SettledAsync(importer)).Element(Cfn + "StackStatus")!.Value);
        Assert.Equal($"/{exporter}/mode", Ssm().Find($"/{importer}/copy")!.Current.Value);

        var rivalTemplate = $$$"""
            Resources:
              Other: {Type: 'AWS::SSM::Parameter', Properties: {Type: String, Value: x}}
            Outputs:
              Taken: {Value: !Ref Other, Export: {Name: '{{{exporter}}}-param'}}
            """;
        await CallAsync(TestPrincipals.Admin, "CreateStack", ("StackName", rival), ("TemplateBody", rivalTemplate));
        var rejected = await SettledAsync(rival);
        Assert.Equal("ROLLBACK_COMPLETE", rejected.Element(Cfn + "StackStatus")!.Value);
        var (_, events) = await CallAsync(TestPrincipals.Admin, "DescribeStackEvents", ("StackName", rival));
        Assert.Contains(events.Descendants(Cfn + "ResourceStatusReason"), r => r.Value.StartsWith($"Export with name {exporter}-param is already exported by stack {exporter}", StringComparison.Ordinal));

        Assert.Equal($"Export {exporter}-param cannot be deleted as it is in use by {importer}",
            ErrorMessage((await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", exporter))).Xml));
        await CallAsync(TestPrincipals.Admin, "UpdateStack", ("StackName", exporter), ("TemplateBody", Template($"/{exporter}/mode", "blue").Replace("    Export: {Name: !Sub '${AWS::StackName}-param'}\n", string.Empty, StringComparison.Ordinal)));
        Assert.Equal("UPDATE_ROLLBACK_COMPLETE", (await SettledAsync(exporter)).Element(Cfn + "StackStatus")!.Value);

        await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", importer));
        await Runner().WhenIdleAsync();
        await CallAsync(TestPrincipals.Admin, "DeleteStack", ("StackName", exporter));
        Assert.Equal("DELETE_COMPLETE", (await SettledAsync((await CallAsync(TestPrincipals.Admin, "ListStacks")).Xml.Descendants(Cfn + "member")
            .First(m => m.Element(Cfn + "StackName")!.Value == exporter).Element(Cfn + "StackId")!.Value)).Element(Cfn + "StackStatus")!.Value);
    }

    private static string NewName() => "s" + Guid.NewGuid().ToString("N")[..12];

    private ParameterStore Ssm() => factory.Services.GetRequiredService<ParameterStore>();

    private StackOperationRunner Runner() => factory.Services.GetRequiredService<StackOperationRunner>();

    private static string EventLine(XElement member) => $"{member.Element(Cfn + "LogicalResourceId")!.Value} {member.Element(Cfn + "ResourceStatus")!.Value}";

    private static string ErrorCode(XDocument xml) => xml.Descendants(Cfn + "Code").Single().Value;

    private static string ErrorMessage(XDocument xml) => xml.Descendants(Cfn + "Message").Single().Value;

    /// <summary>The stack once its operation has finished.</summary>
    private async Task<XElement> SettledAsync(string stack)
    {
        await Runner().WhenIdleAsync();
        var (status, xml) = await CallAsync(TestPrincipals.Admin, "DescribeStacks", ("StackName", stack));
        Assert.True(status == HttpStatusCode.OK, xml.ToString());
        return xml.Descendants(Cfn + "Stacks").Single().Element(Cfn + "member")!;
    }

    private Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters) =>
        CloudFormationQuery.CallAsync(factory, caller, action, parameters);
}
