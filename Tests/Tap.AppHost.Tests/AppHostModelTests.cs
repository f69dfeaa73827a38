using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Definition;
using Tap.LocalAws.Hosting;

namespace Tap.AppHost.Tests;

/// <summary>What <c>AppHost.cs</c> declares, checked against the definition without starting anything.</summary>
public sealed class AppHostModelTests
{
    private const string Account = LocalAwsResource.DefaultAccountId;
    private const string Region = LocalAwsResource.DefaultRegion;

    [Fact]
    public async Task The_model_holds_localaws_the_secret_the_function_and_the_api()
    {
        await using var builder = await AppModel.CreateAsync();

        var localAws = builder.Single<LocalAwsResource>();
        var secret = builder.Single<SecretsManagerSecretResource>();
        var function = builder.Single<LambdaProjectResource>();
        var api = builder.Single<APIGatewayEmulatorResource>();

        Assert.Equal(Region, localAws.Region);
        Assert.Equal(TapApplication.Secret.Name, secret.SecretName);
        Assert.Equal(TapApplication.Secret.Keys, secret.Keys);
        Assert.Same(localAws, secret.Parent);
        Assert.Equal(TapApplication.Function.Name, function.Name);
        Assert.Empty(function.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(TapApplication.HttpApi.Name, api.Name);
        Assert.Equal(["http", "https", "runtime-api", TapApplication.HttpApi.Name], localAws.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name));

        // LocalAws tells execution environments apart by the process at the far end of each Runtime API connection,
        // which a proxy would hide.
        Assert.False(localAws.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == LocalAwsResource.RuntimeApiEndpointName).IsProxied);
    }

    [Fact]
    public async Task The_function_gets_lambdas_environment_and_its_secret()
    {
        await using var builder = await AppModel.CreateAsync();

        var environment = await builder.EnvironmentAsync(builder.Single<LambdaProjectResource>());

        Assert.Equal("localhost:9001/api-handler", environment["AWS_LAMBDA_RUNTIME_API"]);
        Assert.Equal(TapApplication.Function.Name, environment["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("256", environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("$LATEST", environment["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("JSON", environment["AWS_LAMBDA_LOG_FORMAT"]);
        Assert.Equal(Region, environment["AWS_REGION"]);
        Assert.Equal(TapApplication.Function.Handler, environment["_HANDLER"]);
        Assert.Equal(TapApplication.Secret.Name, environment[FunctionDefinition.SecretIdVariable]);
        Assert.Equal("http://localhost:4566", environment["AWS_ENDPOINT_URL_SECRETS_MANAGER"]);
        Assert.Equal($"http://127.0.0.1:4566/_localaws/container-credentials/{TapApplication.FunctionRole.Name}", environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        Assert.Matches("^[0-9a-f]{32}$", await File.ReadAllTextAsync(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], TestContext.Current.CancellationToken));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]));
        }

        Assert.DoesNotContain("AWS_CONTAINER_AUTHORIZATION_TOKEN", environment.Keys);
        Assert.DoesNotContain("AWS_SECRET_ACCESS_KEY", environment.Keys);
    }

    [Fact]
    public async Task Localaws_serves_both_routes_with_the_definitions_stage_throttle_and_authorization()
    {
        await using var builder = await AppModel.CreateAsync();

        var environment = await builder.EnvironmentAsync(builder.Single<LocalAwsResource>());

        const string api = "LocalAws__HttpApis__0__";
        var httpApi = TapApplication.HttpApi;
        Assert.Equal(httpApi.Name, environment[api + "Name"]);
        Assert.Equal(httpApi.Stage, environment[api + "Stage"]);
        Assert.Equal(httpApi.Routes.Select(r => r.RouteKey), [environment[api + "Routes__0__RouteKey"], environment[api + "Routes__1__RouteKey"]]);
        Assert.All(httpApi.Routes.Select((route, i) => (route, i)), r =>
        {
            Assert.Equal(r.route.Function, environment[$"{api}Routes__{r.i}__Function"]);
            Assert.Equal(r.route.AuthorizationType, environment[$"{api}Routes__{r.i}__AuthorizationType"]);
        });
        Assert.Equal("50", environment[api + "Throttle__RateLimit"]);
        Assert.Equal("100", environment[api + "Throttle__BurstLimit"]);
        Assert.Equal(httpApi.AccessLogFormat, environment[api + "AccessLogFormat"]);
        Assert.Equal("true", environment[api + "DetailedMetricsEnabled"], ignoreCase: true);
        // LocalAws's own listener on the API's port (no proxy), so the host a caller signs names that port; it
        // listens once the function, which the AppHost starts after LocalAws, has started.
        Assert.Equal("http://localhost:4000", environment[api + "Url"]);
        Assert.Equal("true", environment[api + "WaitForFunctions"]);
        Assert.Equal(TapApplication.Function.Name, environment["LocalAws__Functions__0__Name"]);
        Assert.Equal("30", environment["LocalAws__Functions__0__Timeout"]);
        Assert.Equal($"arn:aws:iam::{Account}:role/{TapApplication.FunctionRole.Name}", environment["LocalAws__Functions__0__Role"]);
    }

    [Fact]
    public async Task The_function_role_is_granted_exactly_the_definitions_secret_policy()
    {
        await using var builder = await AppModel.CreateAsync();

        var principals = await PrincipalsAsync(builder);

        var role = principals[TapApplication.FunctionRole.Name];
        Assert.Equal($"arn:aws:iam::{Account}:role/{TapApplication.FunctionRole.Name}", role["Arn"]);
        AssertSameJson(TapApplication.FunctionRole.SecretPolicy(TapApplication.Secret, Region, Account), role["Policies__0"]);
        Assert.False(role.ContainsKey("Policies__1"));
    }

    [Fact]
    public async Task The_invoker_user_and_role_may_only_invoke_the_api_and_the_role_needs_the_external_id()
    {
        await using var builder = await AppModel.CreateAsync();
        var apiId = builder.Single<APIGatewayEmulatorResource>().GetApiId();
        var externalId = await builder.Named<ParameterResource>("invoker-external-id").GetValueAsync(TestContext.Current.CancellationToken);

        var principals = await PrincipalsAsync(builder);

        var invokePolicy = TapApplication.Invoker.InvokePolicy(Region, Account, apiId, TapApplication.HttpApi.Stage);
        var user = principals["invoker"];
        Assert.Equal($"arn:aws:iam::{Account}:user/invoker", user["Arn"]);
        Assert.Matches("^AKIA[A-Z0-9]{16}$", user["AccessKeyId"]);
        Assert.Equal(40, user["SecretAccessKey"].Length);
        AssertSameJson(invokePolicy, user["Policies__0"]);
        var role = principals[TapApplication.Invoker.RoleName];
        AssertSameJson(invokePolicy, role["Policies__0"]);
        AssertSameJson(InvokerDefinition.TrustPolicy(Account, externalId!), role["AssumeRolePolicyDocument"]);
        Assert.Contains("execute-api:Invoke", invokePolicy, StringComparison.Ordinal);
        Assert.Contains($"{apiId}/{TapApplication.HttpApi.Stage}/*/*", invokePolicy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invoker-access-key-id")]
    [InlineData("invoker-secret-access-key")]
    [InlineData("localaws-admin-access-key-id")]
    [InlineData("localaws-admin-secret-access-key")]
    public async Task Credentials_are_secret_parameters(string name)
    {
        await using var builder = await AppModel.CreateAsync();

        Assert.True(builder.Named<ParameterResource>(name).Secret);
    }

    [Fact]
    public async Task Secret_keys_and_tokens_reach_localaws_in_an_owner_only_file_not_its_environment()
    {
        await using var builder = await AppModel.CreateAsync();

        var (environment, secretFile) = await builder.LocalAwsSettingsAsync(builder.Single<LocalAwsResource>());

        Assert.DoesNotContain(environment.Keys, key => key.EndsWith("SecretAccessKey", StringComparison.Ordinal) || key.EndsWith("Token", StringComparison.Ordinal));
        Assert.All(secretFile.Keys, key => Assert.True(key.EndsWith("__SecretAccessKey", StringComparison.Ordinal) || key.EndsWith("__ContainerCredentialsToken", StringComparison.Ordinal), key));
        Assert.Equal(2, secretFile.Keys.Count(key => key.EndsWith("__SecretAccessKey", StringComparison.Ordinal)));                // admin, invoker
        Assert.Equal(1, secretFile.Keys.Count(key => key.EndsWith("__ContainerCredentialsToken", StringComparison.Ordinal)));      // the function's role
    }

    /// <summary>Each principal's settings by name, e.g. <c>["invoker"]["Policies__0"]</c>, from the environment and the secret file together.</summary>
    private static async Task<Dictionary<string, Dictionary<string, string>>> PrincipalsAsync(Aspire.Hosting.Testing.IDistributedApplicationTestingBuilder builder)
    {
        var (environment, secretFile) = await builder.LocalAwsSettingsAsync(builder.Single<LocalAwsResource>());
        const string prefix = "LocalAws__Principals__";
        return environment.Concat(secretFile).Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(e => e.Key[prefix.Length..].Split("__")[0])
            .Select(group => group.ToDictionary(e => e.Key[(prefix.Length + group.Key.Length + 2)..], e => e.Value, StringComparer.Ordinal))
            .ToDictionary(principal => principal["Name"], StringComparer.Ordinal);
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");
}
