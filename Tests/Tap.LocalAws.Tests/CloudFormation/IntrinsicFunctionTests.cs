using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.Tests.CloudFormation;

/// <summary>Each intrinsic function against the examples in CloudFormation's documentation, and its errors.</summary>
public sealed class IntrinsicFunctionTests
{
    private const string Declarations = """
        {
          "Parameters": {
            "RootDomainName": { "Type": "String", "Default": "example.com" },
            "Subnets": { "Type": "CommaDelimitedList", "Default": "subnet-1, subnet-2,subnet-3" }
          },
          "Mappings": { "RegionMap": { "us-east-1": { "AMI": "ami-0ff8a91507f77f867" } } },
          "Resources": { "Vpc": { "Type": "AWS::EC2::VPC" }, "Bucket": { "Type": "AWS::S3::Bucket" } }
        }
        """;

    private static readonly StackScope Scope = TemplateScopes.For(Declarations);

    [Theory]
    [InlineData("""{ "Fn::Join": [ ":", [ "a", "b", "c" ] ] }""", "a:b:c")]
    [InlineData("""{ "Fn::Join": [ "", [ "arn:", { "Ref": "AWS::Partition" }, ":s3:::elasticbeanstalk-*-", { "Ref": "AWS::AccountId" } ] ] }""", "arn:aws:s3:::elasticbeanstalk-*-123456789012")]
    [InlineData("""{ "Fn::Select": [ "1", [ "apples", "grapes", "oranges", "mangoes" ] ] }""", "grapes")]
    [InlineData("""{ "Fn::Select": [ 1, { "Ref": "Subnets" } ] }""", "subnet-2")]
    [InlineData("""{ "Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${Vpc}" }""", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-physical")]
    [InlineData("""{ "Fn::Sub": [ "www.${Domain}", { "Domain": { "Ref": "RootDomainName" } } ] }""", "www.example.com")]
    [InlineData("""{ "Fn::Sub": "${!Literal}-${AWS::Region}-${Bucket.Arn}" }""", "${Literal}-us-east-1-arn:aws:test:::bucket-physical")]
    [InlineData("""{ "Fn::Base64": "AWS CloudFormation" }""", "QVdTIENsb3VkRm9ybWF0aW9u")]
    [InlineData("""{ "Fn::FindInMap": [ "RegionMap", { "Ref": "AWS::Region" }, "AMI" ] }""", "ami-0ff8a91507f77f867")]
    [InlineData("""{ "Fn::GetAtt": [ "Bucket", "Arn" ] }""", "arn:aws:test:::bucket-physical")]
    [InlineData("""{ "Fn::GetAtt": "Bucket.Arn" }""", "arn:aws:test:::bucket-physical")]
    [InlineData("""{ "Fn::ToJsonString": { "key1": "value1", "key2": { "Ref": "RootDomainName" } } }""", """{"key1":"value1","key2":"example.com"}""")]
    [InlineData("""{ "Fn::Join": [ ",", { "Fn::Split": [ "|", "a||c|" ] } ] }""", "a,,c,")]
    [InlineData("""{ "Ref": "AWS::StackId" }""", TemplateScopes.StackId)]
    [InlineData("""{ "Ref": "AWS::URLSuffix" }""", "amazonaws.com")]
    public void A_function_gives_the_documented_value(string call, string expected) =>
        Assert.Equal(expected, Intrinsics.Text(Scope.Evaluate(JsonNode.Parse(call))));

    [Theory]
    [InlineData("""{ "Fn::Split": [ "|", "a|b|c" ] }""", """["a","b","c"]""")]
    [InlineData("""{ "Fn::GetAZs": "" }""", """["us-east-1a","us-east-1b","us-east-1c"]""")]
    [InlineData("""{ "Fn::GetAZs": { "Ref": "AWS::Region" } }""", """["us-east-1a","us-east-1b","us-east-1c"]""")]
    [InlineData("""{ "Ref": "Subnets" }""", """["subnet-1","subnet-2","subnet-3"]""")]
    [InlineData("""{ "Fn::Length": [ 1, 2, { "Ref": "AWS::NoValue" } ] }""", "2")]
    [InlineData("""{ "Ref": "AWS::NotificationARNs" }""", "[]")]
    public void A_function_gives_the_documented_list_or_number(string call, string expected) =>
        Assert.Equal(expected, Scope.Evaluate(JsonNode.Parse(call))!.ToJsonString());

    [Fact]
    public void NoValue_removes_the_property_or_the_list_item_that_holds_it()
    {
        var properties = Scope.Evaluate(JsonNode.Parse("""
            { "Name": { "Ref": "AWS::NoValue" }, "Keep": "k", "Tags": [ { "Ref": "AWS::NoValue" }, { "Key": "a", "Value": "b" } ] }
            """));
        Assert.Equal("""{"Keep":"k","Tags":[{"Key":"a","Value":"b"}]}""", properties!.ToJsonString());
    }

    [Fact]
    public void Evaluating_leaves_the_template_as_it_was()
    {
        var call = JsonNode.Parse("""{ "A": { "Fn::Join": [ "-", [ { "Ref": "Vpc" }, "x" ] ] } }""")!;
        var before = call.ToJsonString();
        Assert.Equal("""{"A":"vpc-physical-x"}""", Scope.Evaluate(call)!.ToJsonString());
        Assert.Equal(before, call.ToJsonString());
    }

    [Theory]
    [InlineData("""{ "Fn::Select": [ "5", [ "a", "b" ] ] }""", "Template error: Fn::Select cannot select nonexistent value at index 5")]
    [InlineData("""{ "Fn::FindInMap": [ "RegionMap", "eu-west-9", "AMI" ] }""", "Template error: Unable to get mapping for RegionMap::eu-west-9::AMI")]
    [InlineData("""{ "Fn::GetAtt": [ "Bucket", "DomainName" ] }""", "Template error: resource Bucket does not support attribute type DomainName in Fn::GetAtt")]
    [InlineData("""{ "Fn::GetAtt": [ "Nothing", "Arn" ] }""", "Template error: instance of Fn::GetAtt references undefined resource Nothing")]
    [InlineData("""{ "Ref": "Nothing" }""", "Template format error: Unresolved resource dependencies [Nothing] in the Resources block of the template")]
    [InlineData("""{ "Fn::ImportValue": "shared-vpc" }""", "No export named shared-vpc found.")]
    [InlineData("""{ "Fn::Sub": "${Subnets}" }""", "Template error: variable Subnets in Fn::Sub expression does not resolve to a string")]
    [InlineData("""{ "Fn::Split": [ "", "abc" ] }""", "Template error: Fn::Split requires a non-empty delimiter")]
    public void A_function_that_cannot_resolve_is_CloudFormations_error(string call, string message) =>
        Assert.Equal(message, Assert.Throws<TemplateException>(() => Scope.Evaluate(JsonNode.Parse(call))).Message);

    [Fact]
    public void An_unknown_function_is_named_with_the_supported_ones()
    {
        var error = Assert.Throws<TemplateException>(() => Scope.Evaluate(JsonNode.Parse("""{ "Fn::Cidr": [ "10.0.0.0/16", 6, 5 ] }""")));
        Assert.StartsWith("Template format error: Encountered unsupported function: Fn::Cidr Supported functions are: [", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_import_reads_the_exported_value()
    {
        var scope = TemplateScopes.For(Template.Parse(Declarations), exports: new Dictionary<string, string> { ["shared-vpc-us-east-1"] = "vpc-123" });
        Assert.Equal("vpc-123", Intrinsics.Text(scope.Evaluate(JsonNode.Parse("""{ "Fn::ImportValue": { "Fn::Sub": "shared-vpc-${AWS::Region}" } }"""))));
    }
}
