using System.Text.Json.Nodes;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::ApiGatewayV2::Route</c>: a route of an HTTP API, <c>NONE</c> or <c>AWS_IAM</c>, to one of its
/// integrations (<c>integrations/{id}</c>). <c>Ref</c> and <c>Fn::GetAtt RouteId</c> are its id.
/// </summary>
internal sealed class HttpApiRouteProvider(HttpApiService apis) : IResourceProvider
{
    public string ResourceType => "AWS::ApiGatewayV2::Route";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["ApiId"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["RouteKey"] = PropertySchema.Text() with { Required = true },
        ["AuthorizationType"] = PropertySchema.Text(),
        ["Target"] = PropertySchema.Text(),
        ["AuthorizerId"] = PropertySchema.Text(),
        ["AuthorizationScopes"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["ApiKeyRequired"] = PropertySchema.Boolean(),
        ["OperationName"] = PropertySchema.Text(),
        ["RequestModels"] = PropertySchema.Json(),
        ["RequestParameters"] = PropertySchema.Json(),
        ["ModelSelectionExpression"] = PropertySchema.Text(),
        ["RouteResponseSelectionExpression"] = PropertySchema.Text(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["RouteId"];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpApiRoute? made = null;
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/routes", apis.ActingFor("POST", request.Principal), api =>
        {
            made = Route(api, routeId: null, request);
            return api with { Routes = [.. api.Routes, made] };
        }, cancellationToken);
        return Made(made!.RouteId);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/routes/" + current.PhysicalId, apis.ActingFor("PATCH", request.Principal), api =>
        {
            var route = Route(api, current.PhysicalId, request);
            return api with { Routes = [.. api.Routes.Select(r => r.RouteId == current.PhysicalId ? route : r)] };
        }, cancellationToken);
        return Made(current.PhysicalId);
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await HttpApiResources.RemoveAsync(apis, request, "/routes/" + current.PhysicalId, api => api with { Routes = [.. api.Routes.Where(r => r.RouteId != current.PhysicalId)] }, cancellationToken);
    }

    private static HttpApiRoute Route(HttpApiRecord api, string? routeId, ResourceRequest request)
    {
        var properties = request.Properties;
        if (properties["AuthorizerId"] is not null)
        {
            throw HttpApiResources.BadRequest("LocalAws has no authorizers: a route authorizes with NONE or AWS_IAM.");
        }

        return HttpApiService.Route(api, routeId, Intrinsics.Text(properties["RouteKey"])!, Intrinsics.Text(properties["AuthorizationType"]), Intrinsics.Text(properties["Target"]));
    }

    private static string ApiId(ResourceRequest request) => Intrinsics.Text(request.Properties["ApiId"])!;

    private static ProvisionedResource Made(string id) => new(id, new Dictionary<string, JsonNode?> { ["RouteId"] = JsonValue.Create(id) });
}
