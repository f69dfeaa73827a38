using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds API Gateway APIs, served by the app's Lambda service emulator, in front of Lambda function resources.</summary>
public static class APIGatewayExtensions
{
    /// <summary>
    /// Adds an API Gateway API, served by the app's Lambda service emulator on <paramref name="options"/>' port (a
    /// random one when unset). Add the emulator first; add routes with
    /// <see cref="WithReference(IResourceBuilder{APIGatewayEmulatorResource}, IResourceBuilder{LambdaProjectResource}, Method, string)"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, which is also the API's name.</param>
    /// <param name="apiGatewayType">The kind of API: only <see cref="APIGatewayType.HttpV2"/> is emulated.</param>
    /// <param name="options">The port.</param>
    public static IResourceBuilder<APIGatewayEmulatorResource> AddAWSAPIGatewayEmulator(
        this IDistributedApplicationBuilder builder, string name, APIGatewayType apiGatewayType, APIGatewayEmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (apiGatewayType != APIGatewayType.HttpV2)
        {
            throw new NotSupportedException($"Only HTTP APIs with payload format 2.0 ({nameof(APIGatewayType.HttpV2)}) are emulated, not {apiGatewayType}.");
        }

        var emulator = LambdaServiceEmulator.Find(builder, name);
        var api = builder.AddResource(new APIGatewayEmulatorResource(name)).ExcludeFromManifest();
        emulator.ServeAPIGateway(api, options ?? new APIGatewayEmulatorOptions());
        return api;
    }

    /// <summary>
    /// Adds a route that invokes a Lambda function: <paramref name="httpMethod"/> and a resource path such as
    /// <c>/</c>, <c>/orders/{id}</c> or <c>/{proxy+}</c>. Each call adds one route, so <c>ANY /</c> and
    /// <c>ANY /{proxy+}</c> both exist, as in API Gateway.
    /// </summary>
    /// <param name="builder">The API.</param>
    /// <param name="lambda">The function the route invokes.</param>
    /// <param name="httpMethod">The method, or <see cref="Method.Any"/>.</param>
    /// <param name="path">The resource path, starting with <c>/</c>.</param>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithReference(
        this IResourceBuilder<APIGatewayEmulatorResource> builder, IResourceBuilder<LambdaProjectResource> lambda, Method httpMethod, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(lambda);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!path.StartsWith('/'))
        {
            throw new ArgumentException($"A route's path starts with '/': {path}.", nameof(path));
        }

        var route = new APIGatewayRouteAnnotation(httpMethod, path, lambda.Resource);
        if (builder.Resource.Annotations.OfType<APIGatewayRouteAnnotation>().Any(r => r.RouteKey == route.RouteKey))
        {
            throw new InvalidOperationException($"API {builder.Resource.Name} already has the route {route.RouteKey}.");
        }

        return builder.WithAnnotation(route).WithRelationship(lambda.Resource, "Route");
    }
}
