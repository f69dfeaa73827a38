namespace Tap.Definition.Tests;

/// <summary>What the definition holds to: every route IAM-authorized, the generated key one of the secret's keys.</summary>
public sealed class PolicyTests
{
    [Fact]
    public void Every_route_is_iam_authorized_and_the_generated_key_is_one_of_the_secrets_keys()
    {
        Assert.All(TapApplication.HttpApi.Routes, route => Assert.Equal(RouteAuthorization.AwsIam, route.AuthorizationType));
        Assert.Contains(TapApplication.Secret.GeneratedKey, TapApplication.Secret.Keys);
    }
}
