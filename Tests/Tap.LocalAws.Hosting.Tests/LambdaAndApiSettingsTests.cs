using Aspire.Hosting;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;
using Tap.LocalAws.Settings;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

/// <summary>What LocalAws is told about the app model's functions, APIs and IAM principals, read back as LocalAws reads it.</summary>
public sealed class LambdaAndApiSettingsTests
{
    private const string Allow = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}""";

    [Fact]
    public async Task A_function_gets_its_role_limits_and_log_format_and_an_api_its_routes_stage_throttle_and_cors()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap",
                new LambdaFunctionOptions { LogFormat = Amazon.Lambda.LogFormat.JSON })
            .WithExecutionRole("fn-exec")
            .WithMemorySize(256)
            .WithTimeout(TimeSpan.FromSeconds(30));
        builder.AddAWSAPIGatewayEmulator("orders", APIGatewayType.HttpV2)
            .WithReference(function, Method.Any, "/{proxy+}")
            .WithIamAuthorization()
            .WithStage("prod")
            .WithThrottling(50, 100)
            .WithCors(new LocalAwsCorsSettings { AllowOrigins = ["*"], MaxAge = 600 })
            .WithAccessLogFormat("$context.requestId");

        var settings = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        var settingsOfFunction = Assert.Single(settings.Functions);
        Assert.Equal(("fn", "arn:aws:iam::000000000000:role/fn-exec", 256, 30, "JSON"),
            (settingsOfFunction.Name, settingsOfFunction.Role, settingsOfFunction.MemorySize, settingsOfFunction.Timeout, settingsOfFunction.LogFormat));
        var role = Assert.Single(settings.Principals, p => p.Name == "fn-exec");
        Assert.NotNull(role.ContainerCredentialsToken);
        var api = Assert.Single(settings.HttpApis);
        // The gateway's own listener is the API's endpoint (not proxied: a proxied one would get the public port + 1
        // here), and it waits for the functions the AppHost starts.
        Assert.Equal(("orders", "prod", "$context.requestId", "http://localhost:4000", true), (api.Name, api.Stage, api.AccessLogFormat, api.Url, api.WaitForFunctions));
        Assert.Equal(new LocalAwsThrottleSettings(50, 100), api.Throttle);
        Assert.Equal(["*"], api.Cors!.AllowOrigins);
        var route = Assert.Single(api.Routes);
        Assert.Equal(("ANY /{proxy+}", "fn", "AWS_IAM"), (route.RouteKey, route.Function, route.AuthorizationType));
    }

    [Fact]
    public async Task Users_and_roles_get_their_keys_and_policies_and_the_admin_may_do_anything()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var key = AwsAccessKeyParameters.Add(builder, "invoker");
        localAws
            .WithIamUser("invoker", key, (_, _) => ValueTask.FromResult(Allow))
            .WithIamRole("invoker-role", (aws, _) => ValueTask.FromResult(
                $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::{{aws.AccountId}}:root"},"Action":"sts:AssumeRole"}]}"""));

        var settings = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        var admin = Assert.Single(settings.Principals, p => p.Name == "admin");
        Assert.Contains("\"Action\":\"*\"", Assert.Single(admin.Policies), StringComparison.Ordinal);
        var user = Assert.Single(settings.Principals, p => p.Name == "invoker");
        Assert.Equal("arn:aws:iam::000000000000:user/invoker", user.Arn);
        Assert.Matches("^AKIA[A-Z0-9]{16}$", user.AccessKeyId);
        Assert.Equal(40, user.SecretAccessKey!.Length);
        Assert.Equal([Allow], user.Policies);
        var role = Assert.Single(settings.Principals, p => p.Name == "invoker-role");
        Assert.Contains("arn:aws:iam::000000000000:root", role.AssumeRolePolicyDocument, StringComparison.Ordinal);
        Assert.Null(role.AccessKeyId);
    }

    [Fact]
    public void Settings_calls_refuse_bad_arguments()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap");
        var api = builder.AddAWSAPIGatewayEmulator("orders", APIGatewayType.HttpV2);

        Assert.ThrowsAny<ArgumentException>(() => function.WithExecutionRole(" "));
        Assert.ThrowsAny<ArgumentException>(() => api.WithStage(""));
        Assert.Throws<ArgumentOutOfRangeException>(() => api.WithThrottling(-1, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => api.WithThrottling(1, -10));
        Assert.Throws<ArgumentNullException>(() => api.WithCors(null!));
        Assert.ThrowsAny<ArgumentException>(() => api.WithAccessLogFormat(" "));
        Assert.ThrowsAny<ArgumentException>(() => localAws.WithIamUser(" ", AwsAccessKeyParameters.Add(builder, "x")));
        Assert.Throws<ArgumentNullException>(() => localAws.WithIamRole("r", null!));
    }

    [Fact]
    public void Resources_not_served_by_localaws_are_named_in_the_error()
    {
        var builder = DistributedApplication.CreateBuilder();
        var plain = builder.AddResource(new LambdaProjectResource("plain"));

        var error = Assert.Throws<InvalidOperationException>(() => plain.WithExecutionRole("role"));

        Assert.Contains("plain", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => new APIGatewayEmulatorResource("api").GetApiId());
    }

    [Fact]
    public void The_api_id_has_api_gateways_shape_and_is_stable()
    {
        var (builder, _) = LocalAwsModel.Create();

        var api = builder.AddAWSAPIGatewayEmulator("orders", APIGatewayType.HttpV2).Resource;

        Assert.Equal(LocalAwsHttpApiSettings.DefaultApiId("orders"), api.GetApiId());
    }
}
