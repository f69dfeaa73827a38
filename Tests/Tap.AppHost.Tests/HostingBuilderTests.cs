using Aspire.Hosting;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;

namespace Tap.AppHost.Tests;

/// <summary>The hosting calls' rules, on a bare builder (nothing started).</summary>
public sealed class HostingBuilderTests
{
    [Fact]
    public void A_lambda_function_needs_localaws()
    {
        var builder = DistributedApplication.CreateBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddAWSLambdaFunction<TestProject>("fn", "bootstrap"));

        Assert.Contains("AddLocalAws", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_localaws_serves_the_app()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddLocalAws<TestProject>("localaws");

        Assert.Throws<InvalidOperationException>(() => builder.AddLocalAws<TestProject>("other"));
    }

    [Theory]
    [InlineData(APIGatewayType.Rest)]
    [InlineData(APIGatewayType.HttpV1)]
    public void Only_http_apis_with_payload_2_are_emulated(APIGatewayType type)
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddLocalAws<TestProject>("localaws");

        Assert.Throws<NotSupportedException>(() => builder.AddAWSAPIGatewayEmulator("api", type));
    }

    [Fact]
    public void Root_and_greedy_routes_are_both_kept_and_a_repeated_route_is_refused()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddLocalAws<TestProject>("localaws");
        var function = builder.AddAWSLambdaFunction<TestProject>("fn", "bootstrap");
        var api = builder.AddAWSAPIGatewayEmulator("api", APIGatewayType.HttpV2)
            .WithReference(function, Method.Any, "/")
            .WithReference(function, Method.Get, "/{proxy+}");

        Assert.Throws<InvalidOperationException>(() => api.WithReference(function, Method.Any, "/"));
        Assert.Throws<ArgumentException>(() => api.WithReference(function, Method.Any, "orders"));
    }

    [Fact]
    public void Lambda_settings_are_checked_against_lambdas_limits()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddLocalAws<TestProject>("localaws");
        var function = builder.AddAWSLambdaFunction<TestProject>("fn", "bootstrap");

        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithMemorySize(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithTimeout(TimeSpan.FromMinutes(16)));
        Assert.Throws<ArgumentException>(() => function.WithTimeout(TimeSpan.FromMilliseconds(1500)));
    }

    [Fact]
    public void The_api_id_has_api_gateways_shape_and_is_stable()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddLocalAws<TestProject>("localaws");

        var api = builder.AddAWSAPIGatewayEmulator("orders", APIGatewayType.HttpV2).Resource;

        Assert.Matches("^[a-z0-9]{10}$", api.GetApiId());
        Assert.Equal(Tap.LocalAws.Configuration.LocalAwsHttpApiSettings.DefaultApiId("orders"), api.GetApiId());
    }

    private sealed class TestProject : IProjectMetadata
    {
        public string ProjectPath => "/nonexistent/Test.csproj";
    }
}
