using System.Text;
using Microsoft.Extensions.Configuration;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

public sealed class PrincipalConfigurationTests
{
    /// <summary>Loads principals; <c>GENERATED_KEY</c>/<c>GENERATED_SECRET</c> in the JSON become freshly generated keys.</summary>
    private static IReadOnlyList<IamPrincipal> Load(string json)
    {
        json = json.Replace("GENERATED_KEY", TestCredentials.NewAccessKeyId(), StringComparison.Ordinal)
            .Replace("GENERATED_SECRET", TestCredentials.NewSecretAccessKey(), StringComparison.Ordinal);
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        return PrincipalConfiguration.Load(LocalAwsSettings.Read(configuration));
    }

    [Fact]
    public void Policies_from_a_JSON_file_keep_star_actions_and_string_or_array_members()
    {
        var principals = Load("""
            {"LocalAws":{"Principals":[{"Name":"admin","Arn":"arn:aws:iam::000000000000:user/admin","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"GENERATED_SECRET",
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

    [Theory]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","ContainerCredentialsToken":""}""", "ContainerCredentialsToken must be at least 16 characters")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","ContainerCredentialsToken":"fifteen-chars-x"}""", "ContainerCredentialsToken must be at least 16 characters")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","ContainerCredentialsToken":"sixteen chars ok"}""", "ContainerCredentialsToken must be at least 16 characters")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"akiaabcdefghijklmnop","SecretAccessKey":"GENERATED_SECRET"}""", "AccessKeyId must be 16 to 128 characters of A-Z and 0-9")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"AKIA12345678901","SecretAccessKey":"GENERATED_SECRET"}""", "AccessKeyId must be 16 to 128")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"AKIA-1234567890123","SecretAccessKey":"GENERATED_SECRET"}""", "AccessKeyId must be 16 to 128")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"short-secret-15"}""", "SecretAccessKey must be at least 16 characters")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"sixteen-or-more-but-not-base64!"}""", "SecretAccessKey must be at least 16 characters")]
    [InlineData("""{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","ContainerCredentialsToken":"a-token-long-enough-for-a-role"}""", "ContainerCredentialsToken must not be set")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"GENERATED_SECRET"}""", "AccessKeyId must not be set")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","MaxSessionDuration":"lots"}""", "MaxSessionDuration must be a whole number")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","MaxSessionDuration":"60"}""", "MaxSessionDuration '60'")]
    [InlineData("""{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r","AssumeRolePolicyDocument":{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}}""", "every statement needs a Principal")]
    [InlineData("""{"Name":"x","Arn":"arn:aws:iam::000000000000:group/x"}""", "must be an IAM user or role ARN")]
    public void Settings_that_would_weaken_the_account_stop_the_start_naming_the_setting(string principal, string expected)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Load($$$"""{"LocalAws":{"Principals":[{{{principal}}}]}}"""));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("LocalAws configuration LocalAws:Principals:0:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_access_key_id_configured_twice_stops_the_start()
    {
        var key = TestCredentials.NewAccessKeyId();
        var ex = Assert.Throws<InvalidOperationException>(() => Load($$$"""
            {"LocalAws":{"Principals":[
              {"Name":"a","Arn":"arn:aws:iam::000000000000:user/a","AccessKeyId":"{{{key}}}","SecretAccessKey":"GENERATED_SECRET"},
              {"Name":"b","Arn":"arn:aws:iam::000000000000:user/b","AccessKeyId":"{{{key}}}","SecretAccessKey":"GENERATED_SECRET"}]}}
            """));

        Assert.Contains($"AccessKeyId {key} is configured for more than one principal (a, b)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_keys_in_the_shape_of_AWS_documentation_examples_with_slashes_are_valid()
    {
        var secret = TestCredentials.NewSecretAccessKey()[..13] + "/K7MDENG/" + TestCredentials.NewSecretAccessKey()[..18];

        var user = Assert.Single(Load($$$"""
            {"LocalAws":{"Principals":[{"Name":"u","Arn":"arn:aws:iam::000000000000:user/u","AccessKeyId":"GENERATED_KEY","SecretAccessKey":"{{{secret}}}"}]}}
            """));

        Assert.Equal(secret, user.SecretAccessKey);
    }

    [Fact]
    public void Condition_keys_with_colons_survive_a_JSON_configuration_file()
    {
        // .NET configuration splits keys at ':': "sts:ExternalId" must come back as one key, not as {"sts":{"ExternalId":…}}.
        var role = Assert.Single(Load("""
            {"LocalAws":{"Principals":[{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r",
              "AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:root"},
                "Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"id-1","aws:PrincipalTag/team":["a","b"]},"Bool":{"aws:SecureTransport":"true"}}}]},
              "Policies":[{"Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}]}]}}
            """));

        var trust = Assert.Single(role.TrustPolicy!.Statements).Conditions;
        Assert.Contains(trust, c => c is { Operator: "StringEquals", Key: "sts:ExternalId" } && c.Values.SequenceEqual(["id-1"]));
        Assert.Contains(trust, c => c is { Operator: "StringEquals", Key: "aws:PrincipalTag/team" } && c.Values.SequenceEqual(["a", "b"]));
        Assert.Contains(trust, c => c is { Operator: "Bool", Key: "aws:SecureTransport" });
        Assert.Equal("aws:SecureTransport", Assert.Single(Assert.Single(role.Policies).Statements[0].Conditions).Key);
    }

    [Fact]
    public void A_role_without_a_trust_policy_trusts_its_own_account()
    {
        var role = Assert.Single(Load("""{"LocalAws":{"Principals":[{"Name":"r","Arn":"arn:aws:iam::000000000000:role/r"}]}}"""));

        Assert.Equal(["arn:aws:iam::000000000000:root"], Assert.Single(role.TrustPolicy!.Statements).Principals);
    }

    [Fact]
    public void No_principal_exists_unless_configured()
    {
        Assert.Empty(Load("""{"LocalAws":{}}"""));
    }
}
