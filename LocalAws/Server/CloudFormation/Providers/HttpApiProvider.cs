using System.Text.Json.Nodes;
using Tap.LocalAws.ApiGateway.Deployment;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::ApiGatewayV2::Api</c> of protocol HTTP: a live HTTP API on a port of its own, made through API Gateway's
/// CreateApi as the stack's principal. <c>Ref</c> and <c>Fn::GetAtt ApiId</c> are its id; <c>Fn::GetAtt
/// ApiEndpoint</c> is where LocalAws serves it (<c>http://127.0.0.1:{port}</c>: reachable as given, no DNS), where
/// AWS gives <c>https://{id}.execute-api.{region}.amazonaws.com</c>. WebSocket APIs, OpenAPI bodies and quick create
/// are refused.
/// </summary>
internal sealed class HttpApiProvider(HttpApiService apis) : IResourceProvider
{
    public string ResourceType => "AWS::ApiGatewayV2::Api";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Name"] = PropertySchema.Text(),
        ["ProtocolType"] = PropertySchema.Text() with { CreateOnly = true },
        ["Description"] = PropertySchema.Text(),
        ["CorsConfiguration"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["AllowCredentials"] = PropertySchema.Boolean(),
            ["AllowHeaders"] = PropertySchema.ListOf(PropertySchema.Text()),
            ["AllowMethods"] = PropertySchema.ListOf(PropertySchema.Text()),
            ["AllowOrigins"] = PropertySchema.ListOf(PropertySchema.Text()),
            ["ExposeHeaders"] = PropertySchema.ListOf(PropertySchema.Text()),
            ["MaxAge"] = PropertySchema.WholeNumber(),
        }),
        ["DisableExecuteApiEndpoint"] = PropertySchema.Boolean(),
        ["Tags"] = PropertySchema.Json(),
        ["RouteSelectionExpression"] = PropertySchema.Text(),
        ["ApiKeySelectionExpression"] = PropertySchema.Text(),
        ["Version"] = PropertySchema.Text(),
        ["IpAddressType"] = PropertySchema.Text(),
        ["Body"] = PropertySchema.Json(),
        ["BodyS3Location"] = PropertySchema.Json(),
        ["BasePath"] = PropertySchema.Text(),
        ["FailOnWarnings"] = PropertySchema.Boolean(),
        ["DisableSchemaValidation"] = PropertySchema.Boolean(),
        ["CredentialsArn"] = PropertySchema.Text(),
        ["RouteKey"] = PropertySchema.Text(),
        ["Target"] = PropertySchema.Text(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["ApiEndpoint", "ApiId"];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        if (Intrinsics.Text(properties["ProtocolType"]) is not "HTTP")
        {
            throw HttpApiResources.BadRequest($"LocalAws serves HTTP APIs only, not ProtocolType {Intrinsics.Text(properties["ProtocolType"]) ?? "(unset)"}.");
        }

        if (properties["Body"] is not null || properties["BodyS3Location"] is not null || properties["Target"] is not null)
        {
            throw HttpApiResources.BadRequest("LocalAws makes HTTP APIs from their resources only: Body, BodyS3Location and quick create (Target) are not supported.");
        }

        var name = Intrinsics.Text(properties["Name"]) ?? throw HttpApiResources.BadRequest("Name is required.");
        var api = await apis.CreateApiAsync(name, a => Configure(a, properties), apis.ActingFor("POST", request.Principal), cancellationToken);
        return Made(api);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var properties = request.Properties;
        var api = await apis.ChangeAsync(current.PhysicalId, string.Empty, apis.ActingFor("PATCH", request.Principal),
            a => Configure(a with { Name = Intrinsics.Text(properties["Name"]) ?? a.Name }, properties), cancellationToken);
        return Made(api);
    }

    public async Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            await apis.DeleteApiAsync(current.PhysicalId, apis.ActingFor("DELETE", request.Principal), cancellationToken);
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }
    }

    private static HttpApiRecord Configure(HttpApiRecord api, JsonObject properties)
    {
        HttpApiCors? cors = null;
        if (properties["CorsConfiguration"] is JsonObject configuration)
        {
            cors = new HttpApiCors(Texts(configuration["AllowOrigins"]), Texts(configuration["AllowMethods"]), Texts(configuration["AllowHeaders"]),
                Texts(configuration["ExposeHeaders"]), configuration["AllowCredentials"]?.GetValue<bool>() == true, (int?)configuration["MaxAge"]?.GetValue<long>());
            if (cors.AllowCredentials && cors.AllowOrigins.Contains("*"))
            {
                throw HttpApiResources.BadRequest("AllowCredentials cannot be true while AllowOrigins is *.");
            }

            if (cors.MaxAge is < -1 or > 86_400)
            {
                throw HttpApiResources.BadRequest("MaxAge must be between -1 and 86400.");
            }
        }

        return api with
        {
            Description = Intrinsics.Text(properties["Description"]),
            Cors = cors,
            DisableExecuteApiEndpoint = properties["DisableExecuteApiEndpoint"]?.GetValue<bool>() == true,
            Tags = (properties["Tags"] as JsonObject)?.ToDictionary(t => t.Key, t => Intrinsics.Text(t.Value) ?? string.Empty, StringComparer.Ordinal)
                ?? new Dictionary<string, string>(),
        };
    }

    private static List<string> Texts(JsonNode? node) => node is JsonArray list ? [.. list.Select(Intrinsics.Text).OfType<string>()] : [];

    private static ProvisionedResource Made(HttpApiRecord api) => new(api.ApiId, new Dictionary<string, JsonNode?>
    {
        ["ApiId"] = JsonValue.Create(api.ApiId),
        ["ApiEndpoint"] = JsonValue.Create(HttpApiService.Endpoint(api)),
    });
}
