using Aspire.Hosting.AWS.Lambda;
using Tap.Definition;
using Tap.LocalAws.Hosting;

namespace Tap.AppHost.Tests;

/// <summary>The SecretsManager settings move the secret (and the Function's calls for it) to another backend; the gateway and Lambda stay in LocalAws.</summary>
public sealed class SecretsBackendModelTests
{
    [Fact]
    public async Task Another_endpoint_receives_the_functions_secrets_manager_calls()
    {
        await using var builder = await AppModel.CreateAsync("SecretsManager:ServiceURL=http://127.0.0.1:5999");

        var secret = builder.Single<SecretsManagerSecretResource>();
        var function = await builder.EnvironmentAsync(builder.Single<LambdaProjectResource>());
        var localAws = await builder.EnvironmentAsync(builder.Single<LocalAwsResource>());

        Assert.Equal("http://127.0.0.1:5999", secret.Backend?.ServiceURL);
        Assert.Equal("http://127.0.0.1:5999", function["AWS_ENDPOINT_URL_SECRETS_MANAGER"]);
        Assert.Equal(TapApplication.Secret.Name, function[FunctionDefinition.SecretIdVariable]);
        Assert.Equal("localhost:9001/api-handler", function["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Equal(TapApplication.HttpApi.Name, localAws["LocalAws__HttpApis__0__Name"]);
    }

    [Fact]
    public async Task A_real_account_is_reached_with_the_developers_profile_and_aws_endpoints()
    {
        await using var builder = await AppModel.CreateAsync("SecretsManager:Profile=tap-dev", "SecretsManager:Region=eu-west-1");

        var secret = builder.Single<SecretsManagerSecretResource>();
        var function = await builder.EnvironmentAsync(builder.Single<LambdaProjectResource>());

        Assert.Equal("eu-west-1", secret.Region);
        Assert.Equal("tap-dev", function["AWS_PROFILE"]);
        Assert.Equal("eu-west-1", function["AWS_REGION"]);
        Assert.DoesNotContain("AWS_ENDPOINT_URL_SECRETS_MANAGER", function.Keys);
        Assert.DoesNotContain("AWS_ENDPOINT_URL", function.Keys);
    }

    [Fact]
    public async Task Without_settings_the_secret_lives_in_localaws()
    {
        await using var builder = await AppModel.CreateAsync();

        Assert.Null(builder.Single<SecretsManagerSecretResource>().Backend);
    }
}
