using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>Reading templates (JSON and YAML with its short forms), their structure, conditions, rules, parameters and resource order.</summary>
public sealed class TemplateTests
{
    private const string Yaml = """
        AWSTemplateFormatVersion: 2010-09-09
        Description: Short forms
        Parameters:
          Env:
            Type: String
            AllowedValues: [dev, prod]
            Default: dev
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
          IsNotProd: !Not [!Condition IsProd]
          Both: !And [!Condition IsNotProd, !Equals ['us-east-1', !Ref 'AWS::Region']]
        Mappings:
          Sizes: {dev: {Memory: 128}, prod: {Memory: 1024}}
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub '${AWS::StackName}-${Env}'
              Owner: 012345678901
              Tags:
                - Key: memory
                  Value: !FindInMap [Sizes, !Ref Env, Memory]
                - !If [IsProd, {Key: tier, Value: prod}, !Ref 'AWS::NoValue']
          Policy:
            Type: AWS::S3::BucketPolicy
            Properties:
              Bucket: !Ref Bucket
              Arn: !GetAtt Bucket.Arn
        Outputs:
          BucketArn:
            Value: !GetAtt [Bucket, Arn]
            Export: {Name: !Sub '${AWS::StackName}-bucket'}
        """;

    [Fact]
    public void YAML_short_forms_read_as_the_long_forms_and_plain_scalars_keep_leading_zeros()
    {
        var body = TemplateReader.Read(Yaml);
        var bucket = body["Resources"]!["Bucket"]!["Properties"]!;
        Assert.Equal("""{"Fn::Sub":"${AWS::StackName}-${Env}"}""", bucket["BucketName"]!.ToJsonString());
        Assert.Equal("""{"Fn::If":["IsProd",{"Key":"tier","Value":"prod"},{"Ref":"AWS::NoValue"}]}""", bucket["Tags"]![1]!.ToJsonString());
        Assert.Equal("012345678901", bucket["Owner"]!.GetValue<string>());
        Assert.Equal("""{"Fn::GetAtt":["Bucket","Arn"]}""", body["Resources"]!["Policy"]!["Properties"]!["Arn"]!.ToJsonString());
        Assert.Equal("""{"Fn::Not":[{"Condition":"IsProd"}]}""", body["Conditions"]!["IsNotProd"]!.ToJsonString());
        Assert.Equal("2010-09-09", body["AWSTemplateFormatVersion"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("dev", """[{"Key":"memory","Value":128}]""", false)]
    [InlineData("prod", """[{"Key":"memory","Value":1024},{"Key":"tier","Value":"prod"}]""", true)]
    public void Conditions_and_mappings_follow_the_parameters(string env, string tags, bool prod)
    {
        var scope = TemplateScopes.For(Yaml, new Dictionary<string, string> { ["Env"] = env });
        var properties = scope.Evaluate(scope.Template.Resource("Bucket")!.Properties)!;

        Assert.Equal($"demo-{env}", properties["BucketName"]!.GetValue<string>());
        Assert.Equal(tags, properties["Tags"]!.ToJsonString());
        Assert.Equal((prod, !prod, !prod), (scope.Condition("IsProd"), scope.Condition("IsNotProd"), scope.Condition("Both")));
    }

    [Fact]
    public void Resources_are_created_after_what_they_reference_and_deleted_before_it()
    {
        var graph = DependencyGraph.Build(Template.Parse("""
            {"Resources": {
              "Policy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": [{"Ref": "Role"}], "Doc": {"Fn::Sub": "${Topic.Arn}"}}},
              "Role": {"Type": "AWS::IAM::Role", "DependsOn": "Log"},
              "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"Name": {"Fn::Sub": ["${x}", {"x": "y"}]}}},
              "Log": {"Type": "AWS::Logs::LogGroup"}
            }}
            """));

        Assert.Equal(["Topic", "Log", "Role", "Policy"], graph.CreationOrder());
        Assert.Equal(["Policy", "Role", "Log", "Topic"], graph.DeletionOrder());
    }

    [Theory]
    [InlineData("""{"A": {"Type": "T", "Properties": {"P": {"Ref": "B"}}}, "B": {"Type": "T", "DependsOn": ["A"]}, "C": {"Type": "T"}}""",
        "Circular dependency between resources: [A, B]")]
    [InlineData("""{"A": {"Type": "T", "Properties": {"P": {"Ref": "Missing"}}}}""",
        "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template")]
    [InlineData("""{"A": {"Type": "T", "DependsOn": "Missing"}}""",
        "Template format error: Unresolved resource dependencies [Missing] in the Resources block of the template")]
    [InlineData("""{"A": {"Type": "T", "Properties": {"P": {"Fn::Sub": "${Missing.Arn}"}}}}""",
        "Template error: instance of Fn::GetAtt references undefined resource Missing")]
    public void A_cycle_or_a_dangling_reference_is_CloudFormations_validation_error(string resources, string message) =>
        Assert.Equal(message, Assert.Throws<TemplateException>(() => DependencyGraph.Build(Template.Parse($$"""{"Resources": {{resources}}}"""))).Message);

    [Theory]
    [InlineData("""{"Resources": {}}""", "Template format error: At least one Resources member must be defined.")]
    [InlineData("""{"Resources": {"A": {"Type": "T"}, "A": {"Type": "T"}}}""", "Template format error: JSON not well-formed. (a key is given twice)")]
    [InlineData("""{"Resources": {"A": {"Type": "T"}}, "Extra": 1}""", "Template format error: Invalid template property or properties [Extra]")]
    [InlineData("""{"Resources": {"my-bucket": {"Type": "T"}}}""", "Template format error: Resource name my-bucket is non alphanumeric.")]
    [InlineData("""{"Resources": {"A": {"Properties": {}}}}""", "Template format error: [/Resources/A] Every Resources object must contain a Type member.")]
    [InlineData("""{"Resources": {"A": {"Type": "T", "Propertes": {}}}}""", "Template format error: Invalid template resource property 'Propertes'")]
    [InlineData("""{"Resources": {"A": {"Type": "T", "DeletionPolicy": "Keep"}}}""", "Template format error: [/Resources/A/DeletionPolicy] DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot.")]
    [InlineData("""{"AWSTemplateFormatVersion": "2011-01-01", "Resources": {"A": {"Type": "T"}}}""", "Template format error: 2011-01-01 is not a supported value for AWSTemplateFormatVersion.")]
    [InlineData("""{"Parameters": {"P": {"Type": "Strng"}}, "Resources": {"A": {"Type": "T"}}}""", "Template format error: Unrecognized parameter type: Strng")]
    [InlineData("""{"Parameters": {"A": {"Type": "String"}}, "Resources": {"A": {"Type": "T"}}}""", "Template format error: A is the logical ID of both a parameter and a resource; logical IDs must be unique within a template.")]
    [InlineData("""{"Resources": {"A": {"Type": "T"}},}""", "Template format error: JSON not well-formed. (line 1, column 36)")]
    [InlineData("Resources:\n  A: [unclosed", "Template format error: YAML not well-formed. (line 3, column 1)")]
    [InlineData("Resources:\n  A:\n    Type: !Bogus x", "Template format error: YAML not well-formed. (line 3, column 11: unknown tag !Bogus)")]
    public void A_malformed_template_is_refused_in_CloudFormations_words(string body, string message) =>
        Assert.Equal(message, Assert.Throws<TemplateException>(() => Template.Parse(body)).Message);

    [Fact]
    public void A_condition_may_not_reference_a_resource_nor_itself()
    {
        var withResource = TemplateScopes.For("""{"Conditions": {"C": {"Fn::Equals": [{"Ref": "A"}, "x"]}}, "Resources": {"A": {"Type": "T"}}}""");
        Assert.Equal("Template format error: Unresolved dependencies [A]. Cannot reference resources in the Conditions block of the template",
            Assert.Throws<TemplateException>(() => withResource.Condition("C")).Message);

        var cycle = TemplateScopes.For("""{"Conditions": {"C": {"Fn::Not": [{"Condition": "D"}]}, "D": {"Fn::Not": [{"Condition": "C"}]}}, "Resources": {"A": {"Type": "T"}}}""");
        Assert.Equal("Template format error: Circular dependency between conditions: [C, D]", Assert.Throws<TemplateException>(() => cycle.Condition("C")).Message);
        Assert.Equal("Template format error: Unresolved condition dependency E", Assert.Throws<TemplateException>(() => cycle.Condition("E")).Message);
    }

    /// <summary>The rule the CDK writes into every synthesized stack (its bootstrap-version check).</summary>
    private const string CdkBootstrapRule = """
        {
          "Parameters": {
            "BootstrapVersion": {
              "Type": "AWS::SSM::Parameter::Value<String>",
              "Default": "/cdk-bootstrap/hnb659fds/version",
              "Description": "Version of the CDK Bootstrap resources in this environment, automatically retrieved from SSM Parameter Store. [cdk:skip]"
            }
          },
          "Rules": {
            "CheckBootstrapVersion": {
              "Assertions": [{
                "Assert": { "Fn::Not": [{ "Fn::Contains": [["1", "2", "3", "4", "5"], { "Ref": "BootstrapVersion" }] }] },
                "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI."
              }]
            }
          },
          "Resources": { "CDKMetadata": { "Type": "AWS::CDK::Metadata" } }
        }
        """;

    [Theory]
    [InlineData("30", null)]
    [InlineData("5", "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.")]
    [InlineData(null, "Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.")]
    public void The_CDKs_bootstrap_rule_reads_the_version_from_SSM(string? version, string? refusal)
    {
        var template = Template.Parse(CdkBootstrapRule);
        var ssm = version is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["/cdk-bootstrap/hnb659fds/version"] = version };
        var check = () => TemplateRules.Check(template, TemplateScopes.For(template, ssm: ssm));
        if (refusal is null)
        {
            check();
            Assert.Equal(version, TemplateScopes.For(template, ssm: ssm).Ref("BootstrapVersion")!.GetValue<string>());
        }
        else
        {
            Assert.Equal(refusal, Assert.Throws<TemplateException>(check).Message);
        }
    }

    private const string Constrained = """
        {
          "Parameters": {
            "Name": { "Type": "String", "AllowedPattern": "[a-z]+", "MaxLength": 8 },
            "Size": { "Type": "Number", "MinValue": 1, "MaxValue": 10, "Default": 5 },
            "Password": { "Type": "String", "NoEcho": true, "MinLength": 8, "ConstraintDescription": "must be at least 8 characters" },
            "Stage": { "Type": "String", "AllowedValues": ["dev", "prod"], "Default": "dev" },
            "Ports": { "Type": "List<Number>", "Default": "80,443" }
          },
          "Resources": { "A": { "Type": "T" } }
        }
        """;

    [Theory]
    [InlineData("Name=UPPER", "Parameter 'Name' must match pattern [a-z]+")]
    [InlineData("Name=abcdefghij", "Parameter 'Name' must contain at most 8 characters")]
    [InlineData("Size=11", "Parameter 'Size' must be a number not greater than 10")]
    [InlineData("Size=0", "Parameter 'Size' must be a number not less than 1")]
    [InlineData("Size=five", "Parameter 'Size' must be a number")]
    [InlineData("Password=short", "Parameter 'Password' failed to satisfy constraint: must be at least 8 characters")]
    [InlineData("Stage=test", "Parameter 'Stage' must be one of AllowedValues")]
    [InlineData("Ports=80,http", "Parameter 'Ports' must be a list of numbers")]
    [InlineData("Other=x", "Parameters: [Other] do not exist in the template")]
    public void A_value_outside_its_constraints_is_refused_without_quoting_it(string assignment, string message)
    {
        var values = new Dictionary<string, string> { ["Name"] = "ok", ["Password"] = "long-enough" };
        var (name, value) = (assignment[..assignment.IndexOf('=', StringComparison.Ordinal)], assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        values[name] = value;
        var error = Assert.Throws<TemplateException>(() => StackParameters.Resolve(Template.Parse(Constrained), values, _ => null));
        Assert.Equal(message, error.Message);
        Assert.DoesNotContain("short", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_fall_back_to_defaults_lists_split_and_NoEcho_is_masked()
    {
        Assert.Equal("Parameters: [Name, Password] must have values",
            Assert.Throws<TemplateException>(() => StackParameters.Resolve(Template.Parse(Constrained), new Dictionary<string, string>(), _ => null)).Message);

        var values = StackParameters.Resolve(Template.Parse(Constrained), new Dictionary<string, string> { ["Name"] = "ok", ["Password"] = "hunter2-secret" }, _ => null);
        Assert.Equal("5", values["Size"].Node.GetValue<string>());
        Assert.Equal("""["80","443"]""", values["Ports"].Node.ToJsonString());
        Assert.Equal(("****", "hunter2-secret"), (values["Password"].ShownValue, values["Password"].Value));
        Assert.Equal("ok", values["Name"].ShownValue);
    }

    [Fact]
    public void An_output_is_checked_for_dangling_references_too()
    {
        var body = """{"Resources": {"A": {"Type": "T"}}, "Outputs": {"O": {"Value": {"Ref": "B"}}}}""";
        Assert.Equal("Template format error: Unresolved resource dependencies [B] in the Outputs block of the template",
            Assert.Throws<TemplateException>(() => DependencyGraph.Build(Template.Parse(body))).Message);
        var export = Template.Parse(Yaml).Outputs.Single().ExportName;
        Assert.Equal("demo-bucket", Intrinsics.Text(TemplateScopes.For(Yaml).Evaluate(export)));
        Assert.IsType<JsonObject>(export);
    }
}
