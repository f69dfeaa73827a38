using System.Text.Json;

namespace Tap.Definition.Tests;

/// <summary>The policies the definition writes, as IAM would read them: least privilege, nothing wider.</summary>
public sealed class PolicyTests
{
    [Fact]
    public void The_invoker_may_only_invoke_one_stage_of_one_api()
    {
        var policy = TapApplication.Invoker.InvokePolicy("eu-west-1", "123456789012", "abcdef1234", "prod");

        var statement = Assert.Single(Statements(policy));
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal(["execute-api:Invoke"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("arn:aws:execute-api:eu-west-1:123456789012:abcdef1234/prod/*/*", statement.GetProperty("Resource").GetString());
    }

    [Fact]
    public void The_invoker_role_trusts_the_account_only_with_the_external_id()
    {
        var statement = Assert.Single(Statements(InvokerDefinition.TrustPolicy("123456789012", "the-external-id")));

        Assert.Equal("arn:aws:iam::123456789012:root", statement.GetProperty("Principal").GetProperty("AWS").GetString());
        Assert.Equal("sts:AssumeRole", statement.GetProperty("Action").GetString());
        Assert.Equal("the-external-id", statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty(InvokerDefinition.ExternalIdConditionKey).GetString());
    }

    [Fact]
    public void The_function_role_may_read_only_its_one_secret()
    {
        var secret = TapApplication.Secret;
        var statement = Assert.Single(Statements(TapApplication.FunctionRole.SecretPolicy(secret, "us-east-1", "000000000000")));

        Assert.Equal($"arn:aws:secretsmanager:us-east-1:000000000000:secret:{secret.Name}-??????", statement.GetProperty("Resource").GetString());
        Assert.Equal(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("*", statement.GetProperty("Resource").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_route_is_iam_authorized_and_the_generated_key_is_one_of_the_secrets_keys()
    {
        Assert.All(TapApplication.HttpApi.Routes, route => Assert.Equal(RouteAuthorization.AwsIam, route.AuthorizationType));
        Assert.Contains(TapApplication.Secret.GeneratedKey, TapApplication.Secret.Keys);
    }

    private static List<JsonElement> Statements(string policy)
    {
        using var document = JsonDocument.Parse(policy);
        Assert.Equal("2012-10-17", document.RootElement.GetProperty("Version").GetString());
        return [.. document.RootElement.GetProperty("Statement").EnumerateArray().Select(s => s.Clone())];
    }
}
