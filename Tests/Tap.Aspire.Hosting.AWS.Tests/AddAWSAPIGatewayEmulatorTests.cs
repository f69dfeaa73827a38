using Aspire.Hosting;
using Aspire.Hosting.AWS.Lambda;
using Tap.Tests.Shared;

namespace Tap.Aws.Hosting.Tests;

public sealed class AddAWSAPIGatewayEmulatorTests
{
    [Fact]
    public void An_api_needs_an_emulator()
    {
        var builder = DistributedApplication.CreateBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.AddAWSAPIGatewayEmulator("api", APIGatewayType.HttpV2));
    }

    [Theory]
    [InlineData(APIGatewayType.Rest)]
    [InlineData(APIGatewayType.HttpV1)]
    public void Only_http_apis_with_payload_2_are_emulated(APIGatewayType type)
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("emulator"));

        Assert.Throws<NotSupportedException>(() => builder.AddAWSAPIGatewayEmulator("api", type));
    }

    [Fact]
    public void The_api_and_its_port_are_handed_to_the_emulator()
    {
        var builder = DistributedApplication.CreateBuilder();
        var emulator = builder.AddResource(new RecordingEmulator("emulator")).Resource;

        var api = builder.AddAWSAPIGatewayEmulator("api", APIGatewayType.HttpV2, new APIGatewayEmulatorOptions { HttpPort = 4000 });

        var (served, options) = Assert.Single(emulator.Apis);
        Assert.Same(api.Resource, served);
        Assert.Equal(4000, options.HttpPort);
    }

    [Fact]
    public void Each_reference_adds_one_route_and_a_repeated_route_is_refused()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("emulator"));
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap");
        var api = builder.AddAWSAPIGatewayEmulator("api", APIGatewayType.HttpV2)
            .WithReference(function, Method.Any, "/")
            .WithReference(function, Method.Get, "/{proxy+}");

        var routes = api.Resource.Annotations.OfType<APIGatewayRouteAnnotation>().ToList();
        Assert.Equal(["ANY /", "GET /{proxy+}"], routes.Select(r => r.RouteKey));
        Assert.All(routes, route => Assert.Same(function.Resource, route.Function));
        Assert.Throws<InvalidOperationException>(() => api.WithReference(function, Method.Any, "/"));
        Assert.Throws<ArgumentException>(() => api.WithReference(function, Method.Any, "orders"));
        Assert.Equal(2, api.Resource.Annotations.OfType<APIGatewayRouteAnnotation>().Count());
    }
}
