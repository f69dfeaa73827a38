using System.Net;
using System.Text;
using System.Xml.Linq;
using Tap.LocalAws.Tests.S3;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>
/// CloudFormation's ValidateTemplate and GetTemplateSummary over the Query protocol: JSON and YAML bodies, templates
/// read from LocalAws's S3 by the URL forms the AWS CLI and the CDK CLI send (as the caller may read them), NoEcho
/// defaults masked, IAM capabilities, and CloudFormation's errors.
/// </summary>
public sealed class CloudFormationTemplateApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Cfn = CloudFormationQuery.Ns;

    private const string Template = """
        Description: A role and a parameter
        Parameters:
          Env: {Type: String, AllowedValues: [dev, prod], Default: dev, Description: The stage}
          Password: {Type: String, NoEcho: true, Default: default-password-4d1c}
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              RoleName: !Sub '${AWS::StackName}-role'
              AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}
          Param:
            Type: AWS::SSM::Parameter
            Properties: {Type: String, Value: !Ref Env}
        """;

    [Fact]
    public async Task ValidateTemplate_lists_parameters_with_NoEcho_defaults_masked_and_the_capability_named_IAM_needs()
    {
        var (status, xml) = await CallAsync(TestPrincipals.Admin, "ValidateTemplate", ("TemplateBody", Template));

        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Cfn + "ValidateTemplateResult")!;
        Assert.Equal("A role and a parameter", result.Element(Cfn + "Description")!.Value);
        var parameters = result.Element(Cfn + "Parameters")!.Elements(Cfn + "member").ToDictionary(m => m.Element(Cfn + "ParameterKey")!.Value);
        Assert.Equal(("dev", "false", "The stage"), (parameters["Env"].Element(Cfn + "DefaultValue")!.Value, parameters["Env"].Element(Cfn + "NoEcho")!.Value, parameters["Env"].Element(Cfn + "Description")!.Value));
        Assert.Equal(("****", "true"), (parameters["Password"].Element(Cfn + "DefaultValue")!.Value, parameters["Password"].Element(Cfn + "NoEcho")!.Value));
        Assert.DoesNotContain("default-password-4d1c", xml.ToString(), StringComparison.Ordinal);
        Assert.Equal("CAPABILITY_NAMED_IAM", result.Element(Cfn + "Capabilities")!.Element(Cfn + "member")!.Value);
        Assert.Equal("The following resource(s) require capabilities: [AWS::IAM::Role]", result.Element(Cfn + "CapabilitiesReason")!.Value);
    }

    [Fact]
    public async Task GetTemplateSummary_lists_resource_types_parameter_types_and_allowed_values()
    {
        var (status, xml) = await CallAsync(TestPrincipals.Admin, "GetTemplateSummary", ("TemplateBody", Template));

        Assert.Equal(HttpStatusCode.OK, status);
        var result = xml.Root!.Element(Cfn + "GetTemplateSummaryResult")!;
        Assert.Equal(["AWS::IAM::Role", "AWS::SSM::Parameter"], result.Element(Cfn + "ResourceTypes")!.Elements(Cfn + "member").Select(m => m.Value));
        var env = result.Element(Cfn + "Parameters")!.Elements(Cfn + "member").Single(m => m.Element(Cfn + "ParameterKey")!.Value == "Env");
        Assert.Equal("String", env.Element(Cfn + "ParameterType")!.Value);
        Assert.Equal(["dev", "prod"], env.Element(Cfn + "ParameterConstraints")!.Element(Cfn + "AllowedValues")!.Elements(Cfn + "member").Select(m => m.Value));
        Assert.Equal("2010-09-09", result.Element(Cfn + "Version")!.Value);
    }

    [Theory]
    [InlineData("""{"Resources": {"A": {"Type": "T", "Properties": {"P": {"Ref": "B"}}}}}""", "Template format error: Unresolved resource dependencies [B] in the Resources block of the template")]
    [InlineData("Resources: {}", "Template format error: At least one Resources member must be defined.")]
    [InlineData("""{"Resources": {"A": {"Type": "T", "DependsOn": "B"}, "B": {"Type": "T", "DependsOn": "A"}}}""", "Circular dependency between resources: [A, B]")]
    public async Task An_invalid_template_is_a_ValidationError_in_CloudFormations_shape(string body, string message)
    {
        var (status, xml) = await CallAsync(TestPrincipals.Admin, "ValidateTemplate", ("TemplateBody", body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = xml.Root!.Element(Cfn + "Error")!;
        Assert.Equal(("Sender", "ValidationError", message), (error.Element(Cfn + "Type")!.Value, error.Element(Cfn + "Code")!.Value, error.Element(Cfn + "Message")!.Value));
    }

    [Fact]
    public async Task A_template_is_read_from_S3_by_each_URL_form_the_CLIs_send_as_the_caller_may_read_it()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/templates/stack%20one.yaml", Encoding.UTF8.GetBytes(Template));
        foreach (var url in (string[])[
            $"https://s3.us-east-1.amazonaws.com/{bucket}/templates/stack%20one.yaml",
            $"https://{bucket}.s3.us-east-1.amazonaws.com/templates/stack%20one.yaml",
            $"https://s3.amazonaws.com/{bucket}/templates/stack%20one.yaml",
            $"https://{bucket}.s3.amazonaws.com/templates/stack%20one.yaml",
            $"https://localhost:4567/{bucket}/templates/stack%20one.yaml",
            $"https://{bucket}.s3.localhost:4567/templates/stack%20one.yaml"])
        {
            var (status, xml) = await CallAsync(TestPrincipals.Admin, "ValidateTemplate", ("TemplateURL", url));
            Assert.True(status == HttpStatusCode.OK, $"{url}: {xml}");
        }

        Assert.Equal("S3 error: The specified key does not exist.", await ErrorAsync(TestPrincipals.Admin, ("TemplateURL", $"https://s3.amazonaws.com/{bucket}/missing.yaml")));
        Assert.Equal("TemplateURL must be a supported URL.", await ErrorAsync(TestPrincipals.Admin, ("TemplateURL", "https://example.com/template.yaml")));

        // A bucket policy that denies the read denies CloudFormation's read for the caller too.
        var deny = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
        Assert.Equal(HttpStatusCode.NoContent, (await s3.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(deny))).Status);
        Assert.Equal("S3 error: Access Denied", await ErrorAsync(TestPrincipals.Admin, ("TemplateURL", $"https://s3.amazonaws.com/{bucket}/templates/stack%20one.yaml")));
    }

    [Fact]
    public async Task Exactly_one_template_source_is_required_and_the_action_is_authorized()
    {
        Assert.Equal("Either Template URL or Template Body must be specified.", await ErrorAsync(TestPrincipals.Admin));
        Assert.Equal("Specify exactly one of TemplateBody or TemplateURL.", await ErrorAsync(TestPrincipals.Admin, ("TemplateBody", Template), ("TemplateURL", "https://s3.amazonaws.com/b/k")));

        var (status, xml) = await CallAsync(TestPrincipals.Reader, "ValidateTemplate", ("TemplateBody", Template));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("is not authorized to perform: cloudformation:ValidateTemplate", xml.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> ErrorAsync(Amazon.Runtime.ImmutableCredentials caller, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await CallAsync(caller, "ValidateTemplate", parameters);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        return xml.Root!.Element(Cfn + "Error")!.Element(Cfn + "Message")!.Value;
    }

    private Task<(HttpStatusCode Status, XDocument Xml)> CallAsync(Amazon.Runtime.ImmutableCredentials caller, string action, params (string Name, string Value)[] parameters) =>
        CloudFormationQuery.CallAsync(factory, caller, action, parameters);
}
