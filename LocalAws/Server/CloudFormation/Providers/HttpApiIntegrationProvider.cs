using System.Text.Json.Nodes;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::ApiGatewayV2::Integration</c>: a Lambda proxy integration (AWS_PROXY, payload format 2.0) of an HTTP API,
/// by the function's ARN or API Gateway's invocation URI. <c>Ref</c> is its id; a new <c>ApiId</c> replaces it.
/// </summary>
internal sealed class HttpApiIntegrationProvider(HttpApiService apis) : IResourceProvider
{
    public string ResourceType => "AWS::ApiGatewayV2::Integration";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["ApiId"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["IntegrationType"] = PropertySchema.Text() with { Required = true },
        ["IntegrationUri"] = PropertySchema.Text(),
        ["IntegrationMethod"] = PropertySchema.Text(),
        ["PayloadFormatVersion"] = PropertySchema.Text(),
        ["TimeoutInMillis"] = PropertySchema.WholeNumber(),
        ["Description"] = PropertySchema.Text(),
        ["ConnectionType"] = PropertySchema.Text(),
        ["ConnectionId"] = PropertySchema.Text(),
        ["CredentialsArn"] = PropertySchema.Text(),
        ["IntegrationSubtype"] = PropertySchema.Text(),
        ["RequestParameters"] = PropertySchema.Json(),
        ["ResponseParameters"] = PropertySchema.Json(),
        ["RequestTemplates"] = PropertySchema.Json(),
        ["TemplateSelectionExpression"] = PropertySchema.Text(),
        ["PassthroughBehavior"] = PropertySchema.Text(),
        ["ContentHandlingStrategy"] = PropertySchema.Text(),
        ["TlsConfig"] = PropertySchema.Json(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["IntegrationId"];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var integration = Integration(request);
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/integrations", apis.ActingFor("POST", request.Principal),
            api => api with { Integrations = [.. api.Integrations, integration] }, cancellationToken);
        return Made(integration.IntegrationId);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var integration = Integration(request) with { IntegrationId = current.PhysicalId };
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/integrations/" + current.PhysicalId, apis.ActingFor("PATCH", request.Principal),
            api => api with { Integrations = [.. api.Integrations.Select(i => i.IntegrationId == current.PhysicalId ? integration : i)] }, cancellationToken);
        return Made(current.PhysicalId);
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await HttpApiResources.RemoveAsync(apis, request, "/integrations/" + current.PhysicalId, api => api with { Integrations = [.. api.Integrations.Where(i => i.IntegrationId != current.PhysicalId)] }, cancellationToken);
    }

    private static HttpApiIntegration Integration(ResourceRequest request)
    {
        var properties = request.Properties;
        return HttpApiService.Integration(Intrinsics.Text(properties["IntegrationType"]), Intrinsics.Text(properties["IntegrationUri"]),
            Intrinsics.Text(properties["PayloadFormatVersion"]), (int?)properties["TimeoutInMillis"]?.GetValue<long>()) with
        {
            Description = Intrinsics.Text(properties["Description"]),
        };
    }

    private static string ApiId(ResourceRequest request) => Intrinsics.Text(request.Properties["ApiId"])!;

    private static ProvisionedResource Made(string id) => new(id, new Dictionary<string, JsonNode?> { ["IntegrationId"] = JsonValue.Create(id) });
}
