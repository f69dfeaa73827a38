using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds API Gateway APIs, served by LocalAws's gateway, in front of Lambda function resources.</summary>
public static class APIGatewayExtensions
{
    /// <summary>
    /// Adds an API Gateway API. LocalAws serves it on an endpoint of its own process named after the API
    /// (<paramref name="options"/>' port, or a random one). Add LocalAws first; add routes with
    /// <see cref="WithReference(IResourceBuilder{APIGatewayEmulatorResource}, IResourceBuilder{LambdaProjectResource}, Method, string)"/>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, which is also the API's name.</param>
    /// <param name="apiGatewayType">The kind of API: LocalAws emulates <see cref="APIGatewayType.HttpV2"/>.</param>
    /// <param name="options">The port.</param>
    public static IResourceBuilder<APIGatewayEmulatorResource> AddAWSAPIGatewayEmulator(
        this IDistributedApplicationBuilder builder, string name, APIGatewayType apiGatewayType, APIGatewayEmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (apiGatewayType != APIGatewayType.HttpV2)
        {
            throw new NotSupportedException($"LocalAws emulates HTTP APIs with payload format 2.0 ({nameof(APIGatewayType.HttpV2)}), not {apiGatewayType}.");
        }

        options ??= new APIGatewayEmulatorOptions();
        var localAws = LocalAwsBuilderExtensions.Find(builder);
        localAws.WithHttpEndpoint(port: options.HttpPort, name: name)
            .WithUrlForEndpoint(name, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly);

        var api = builder.AddResource(new APIGatewayEmulatorResource(name, apiGatewayType) { LocalAws = localAws.Resource })
            .ExcludeFromManifest();
        if (builder.ExecutionContext.IsRunMode)
        {
            HttpApiLifecycle.Attach(api, localAws);
        }

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

        var routeKey = $"{httpMethod.ToString().ToUpperInvariant()} {path}";
        var routes = builder.Resource.Settings.Routes;
        if (routes.Any(route => route.RouteKey == routeKey))
        {
            throw new InvalidOperationException($"API {builder.Resource.Name} already has the route {routeKey}.");
        }

        routes.Add(new HttpApiRoute(routeKey, lambda.Resource));
        return builder.WithRelationship(lambda.Resource, "Route");
    }
}
