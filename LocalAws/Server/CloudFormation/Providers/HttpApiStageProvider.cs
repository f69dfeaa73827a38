using System.Globalization;
using System.Text.Json.Nodes;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::ApiGatewayV2::Stage</c>: a stage of an HTTP API with its default route throttling, detailed metrics and
/// access log. With <c>AutoDeploy</c> it serves the API's routes as they change; without it, nothing (LocalAws has
/// no deployments). <c>Ref</c> is its name; a new <c>StageName</c> or <c>ApiId</c> replaces it. Per-route settings
/// and stage variables are accepted and not applied.
/// </summary>
internal sealed class HttpApiStageProvider(HttpApiService apis, TimeProvider clock) : IResourceProvider
{
    public string ResourceType => "AWS::ApiGatewayV2::Stage";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["ApiId"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["StageName"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["AutoDeploy"] = PropertySchema.Boolean(),
        ["Description"] = PropertySchema.Text(),
        ["DeploymentId"] = PropertySchema.Text(),
        ["DefaultRouteSettings"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["DataTraceEnabled"] = PropertySchema.Boolean(),
            ["DetailedMetricsEnabled"] = PropertySchema.Boolean(),
            ["LoggingLevel"] = PropertySchema.Text(),
            ["ThrottlingBurstLimit"] = PropertySchema.WholeNumber(),
            ["ThrottlingRateLimit"] = PropertySchema.Json(),
        }),
        ["AccessLogSettings"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["DestinationArn"] = PropertySchema.Text(),
            ["Format"] = PropertySchema.Text(),
        }),
        ["RouteSettings"] = PropertySchema.Json(),
        ["StageVariables"] = PropertySchema.Json(),
        ["ClientCertificateId"] = PropertySchema.Text(),
        ["AccessPolicyId"] = PropertySchema.Text(),
        ["Tags"] = PropertySchema.Json(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stage = Stage(request);
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/stages", apis.ActingFor("POST", request.Principal),
            api => api with { Stages = [.. api.Stages, HttpApiService.Stage(api, stage, isNew: true)] }, cancellationToken);
        return new ProvisionedResource(stage.StageName, new Dictionary<string, JsonNode?>());
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await apis.ChangeAsync(HttpApiResources.ApiId(request), "/stages/" + current.PhysicalId, apis.ActingFor("PATCH", request.Principal), api =>
        {
            var existing = api.Stages.FirstOrDefault(s => s.StageName == current.PhysicalId);
            var stage = HttpApiService.Stage(api, Stage(request) with { CreatedDate = existing?.CreatedDate ?? clock.GetUtcNow() }, isNew: false);
            return api with { Stages = [.. api.Stages.Select(s => s.StageName == current.PhysicalId ? stage : s)] };
        }, cancellationToken);
        return current;
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        await HttpApiResources.RemoveAsync(apis, request, "/stages/" + current.PhysicalId, api => api with { Stages = [.. api.Stages.Where(s => s.StageName != current.PhysicalId)] }, cancellationToken);
    }

    private HttpApiStage Stage(ResourceRequest request)
    {
        var properties = request.Properties;
        var defaults = properties["DefaultRouteSettings"] as JsonObject;
        var accessLog = properties["AccessLogSettings"] as JsonObject;
        var rate = defaults?["ThrottlingRateLimit"] is { } rateNode
            ? double.TryParse(Intrinsics.Text(rateNode), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw HttpApiResources.BadRequest("ThrottlingRateLimit must be a number.")
            : (double?)null;
        var format = Intrinsics.Text(accessLog?["Format"]);
        if (accessLog is not null && (format is null || Intrinsics.Text(accessLog["DestinationArn"]) is null))
        {
            throw HttpApiResources.BadRequest("AccessLogSettings needs both DestinationArn and Format.");
        }

        if (format is not null && !format.Contains("$context.requestId", StringComparison.Ordinal))
        {
            throw HttpApiResources.BadRequest("Access log format must contain $context.requestId");
        }

        return new HttpApiStage(Intrinsics.Text(properties["StageName"])!, properties["AutoDeploy"]?.GetValue<bool>() == true)
        {
            ThrottlingRateLimit = rate,
            ThrottlingBurstLimit = (int?)defaults?["ThrottlingBurstLimit"]?.GetValue<long>(),
            DetailedMetricsEnabled = defaults?["DetailedMetricsEnabled"]?.GetValue<bool>() == true,
            AccessLogDestinationArn = Intrinsics.Text(accessLog?["DestinationArn"]),
            AccessLogFormat = format,
            Description = Intrinsics.Text(properties["Description"]),
            CreatedDate = clock.GetUtcNow(),
        };
    }

    private static string ApiId(ResourceRequest request) => Intrinsics.Text(request.Properties["ApiId"])!;
}
