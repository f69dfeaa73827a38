using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.Aws.Hosting;

/// <summary>A route of an API Gateway API: a method and a resource path, and the function it invokes.</summary>
/// <param name="HttpMethod">The method, or <see cref="Method.Any"/>.</param>
/// <param name="Path">The resource path, e.g. <c>/</c>, <c>/orders/{id}</c> or <c>/{proxy+}</c>.</param>
/// <param name="Function">The function the route invokes.</param>
public sealed record APIGatewayRouteAnnotation(Method HttpMethod, string Path, LambdaProjectResource Function) : IResourceAnnotation
{
    /// <summary>API Gateway's route key: <c>ANY /{proxy+}</c>.</summary>
    public string RouteKey => $"{HttpMethod.ToString().ToUpperInvariant()} {Path}";
}
