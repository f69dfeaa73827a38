using System.Text;
using Microsoft.Extensions.Configuration;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

public sealed class PrincipalConfigurationTests
{
    /// <summary>Loads principals; <c>GENERATED_KEY</c> in the JSON becomes a freshly generated access key id.</summary>
    private static IReadOnlyList<IamPrincipal> Load(string json)
    {
        json = json.Replace("GENERATED_KEY", TestCredentials.NewAccessKeyId(), StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        return PrincipalConfiguration.Load(configuration, "000000000000");
    }

    [Fact]
    public void Policies_from_a_JSON_file_keep_star_actions_and_string_or_array_members()
    {
        var principals = Load("""
            {"LocalAws":{"Principals":[{"Name":"admin","Arn":"arn:aws:iam::000000000000:user/admin","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"s",
              "Policies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
                                                             {"Effect":"Deny","Action":["secretsmanager:DeleteSecret","iam:*"],"Resource":["*"]}]}]}]}}
            """);

        var admin = Assert.Single(principals);
        var statements = Assert.Single(admin.Policies).Statements;
        Assert.Equal(["*"], statements[0].Actions);
        Assert.Equal(["secretsmanager:DeleteSecret", "iam:*"], statements[1].Actions);
        Assert.Equal(PolicyDecision.Allow, PolicyEvaluator.Evaluate(admin.Policies, "sts:AssumeRole", "*", new Dictionary<string, string>()));
        Assert.Equal(PolicyDecision.ExplicitDeny, PolicyEvaluator.Evaluate(admin.Policies, "secretsmanager:DeleteSecret", "x", new Dictionary<string, string>()));
    }

    [Fact]
    public void A_policy_may_also_be_given_as_a_JSON_string()
    {
        var principals = Load("""
            {"LocalAws":{"Principals":[{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r",
              "Policies":["{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"]}]}}
            """);

        Assert.True(principals[0].IsRole);
        Assert.Equal(["*"], principals[0].Policies[0].Statements[0].Actions);
    }

    [Theory]
    [InlineData("""{"Name":"x","Arn":"arn:aws:iam::111111111111:user/x"}""", "account 000000000000")]
    [InlineData("""{"Name":"x","Arn":"arn:aws:iam::000000000000:user/x","AccessKeyId":"GENERATED_KEY"}""", "go together")]
    [InlineData("""{"Arn":"arn:aws:iam::000000000000:user/x"}""", "Name is required")]
    [InlineData("""{"Name":"x","Arn":"arn:aws:iam::000000000000:user/x","Policies":[{"Statement":{"Effect":"Allow"}}]}""", "not a valid IAM policy")]
    public void Invalid_principals_fail_at_start_with_a_clear_message(string principal, string expected)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Load($$$"""{"LocalAws":{"Principals":[{{{principal}}}]}}"""));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_principal_exists_unless_configured()
    {
        Assert.Empty(Load("""{"LocalAws":{}}"""));
    }
}
