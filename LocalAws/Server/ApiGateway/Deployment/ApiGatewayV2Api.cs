using System.Globalization;
using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.ApiGateway.Deployment;

/// <summary>
/// API Gateway's v2 API, read side (REST-JSON, <c>/v2/apis/…</c>): GetApis, GetApi, GetRoutes and GetStages of the
/// HTTP APIs stacks deploy, in API Gateway's camelCase shapes, so <c>aws apigatewayv2</c> and the SDKs show what
/// LocalAws serves. Each is <c>apigateway:GET</c> on the resource's path ARN, as in IAM. Changes come from
/// CloudFormation only; every other method is refused as an unknown operation.
/// </summary>
internal sealed class ApiGatewayV2Api(HttpApiService apis, LocalAwsSettings settings) : IAwsServiceApi
{
    private const string PathPrefix = "/v2/apis";

    private static readonly AwsOperation GetApis = new("GetApis", "apigateway:GET", "arn:aws:apigateway:{region}::/apis");
    private static readonly AwsOperation GetApi = new("GetApi", "apigateway:GET", "arn:aws:apigateway:{region}::/apis/{ApiId}");
    private static readonly AwsOperation GetRoutes = new("GetRoutes", "apigateway:GET", "arn:aws:apigateway:{region}::/apis/{ApiId}/routes");
    private static readonly AwsOperation GetStages = new("GetStages", "apigateway:GET", "arn:aws:apigateway:{region}::/apis/{ApiId}/stages");

    public AwsServiceMetadata Metadata => AwsServiceMetadata.ApiGatewayV2;

    public IReadOnlyList<string> RoutePatterns { get; } = [PathPrefix, PathPrefix + "/{**rest}"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [GetApis, GetApi, GetRoutes, GetStages];

    public int MaxRequestBytes => 1024;

    public AwsError RequestTooLarge => new(413, "PayloadTooLargeException", "The request is too large.");

    public bool Accepts(HttpRequest request) => true;

    public AwsOperationRoute Route(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var rest = request.Path.Value![PathPrefix.Length..].Trim('/');
        var segments = rest.Length == 0 ? [] : rest.Split('/');
        var (operation, apiId) = (request.Method, segments) switch
        {
            ("GET", []) => (GetApis, null),
            ("GET", [var id]) => (GetApi, id),
            ("GET", [var id, "routes"]) => (GetRoutes, id),
            ("GET", [var id, "stages"]) => (GetStages, id),
            _ => throw new AwsServiceException(new AwsError(404, "NotFoundException", $"No API Gateway operation is served at {request.Method} {request.Path}.")),
        };

        return new AwsOperationRoute(operation, apiId is null
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal) { ["ApiId"] = apiId });
    }

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation == GetApis)
        {
            request.Access.DemandOperation($"arn:aws:apigateway:{settings.Region}::/apis");
            return RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer => Items(writer, apis.All().OrderBy(a => a.CreatedDate), WriteApi));
        }

        var apiId = request.Parameters["ApiId"];
        var resource = $"arn:aws:apigateway:{settings.Region}::/apis/{apiId}" + request.Operation.Name switch
        {
            "GetRoutes" => "/routes",
            "GetStages" => "/stages",
            _ => string.Empty,
        };
        request.Access.DemandOperation(resource);
        var api = apis.Find(apiId) ?? throw new AwsServiceException(new AwsError(404, "NotFoundException", $"Invalid API identifier specified {settings.AccountId}:{apiId}"));
        return request.Operation.Name switch
        {
            "GetApi" => RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer => WriteApi(writer, api)),
            "GetRoutes" => RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer => Items(writer, api.Routes, WriteRoute)),
            _ => RestJsonProtocol.WriteAsync(request.Context.Response, StatusCodes.Status200OK, writer => Items(writer, api.Stages, WriteStage)),
        };
    }

    private static void WriteApi(Utf8JsonWriter writer, HttpApiRecord api)
    {
        writer.WriteStartObject();
        writer.WriteString("apiEndpoint", HttpApiService.Endpoint(api));
        writer.WriteString("apiId", api.ApiId);
        writer.WriteString("name", api.Name);
        writer.WriteString("protocolType", "HTTP");
        writer.WriteString("routeSelectionExpression", "$request.method $request.path");
        writer.WriteString("apiKeySelectionExpression", "$request.header.x-api-key");
        writer.WriteString("createdDate", Timestamp(api.CreatedDate));
        writer.WriteBoolean("disableExecuteApiEndpoint", api.DisableExecuteApiEndpoint);
        if (api.Description is { } description)
        {
            writer.WriteString("description", description);
        }

        if (api.Cors is { } cors)
        {
            writer.WriteStartObject("corsConfiguration");
            writer.WriteBoolean("allowCredentials", cors.AllowCredentials);
            Strings(writer, "allowHeaders", cors.AllowHeaders);
            Strings(writer, "allowMethods", cors.AllowMethods);
            Strings(writer, "allowOrigins", cors.AllowOrigins);
            Strings(writer, "exposeHeaders", cors.ExposeHeaders);
            if (cors.MaxAge is { } maxAge)
            {
                writer.WriteNumber("maxAge", maxAge);
            }

            writer.WriteEndObject();
        }

        writer.WriteStartObject("tags");
        foreach (var (key, value) in api.Tags)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteRoute(Utf8JsonWriter writer, HttpApiRoute route)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("apiKeyRequired", false);
        writer.WriteString("authorizationType", route.AuthorizationType);
        writer.WriteString("routeId", route.RouteId);
        writer.WriteString("routeKey", route.RouteKey);
        if (route.Target is { } target)
        {
            writer.WriteString("target", target);
        }

        writer.WriteEndObject();
    }

    private static void WriteStage(Utf8JsonWriter writer, HttpApiStage stage)
    {
        writer.WriteStartObject();
        writer.WriteString("stageName", stage.StageName);
        writer.WriteBoolean("autoDeploy", stage.AutoDeploy);
        writer.WriteString("createdDate", Timestamp(stage.CreatedDate));
        if (stage.Description is { } description)
        {
            writer.WriteString("description", description);
        }

        writer.WriteStartObject("defaultRouteSettings");
        writer.WriteBoolean("detailedMetricsEnabled", stage.DetailedMetricsEnabled);
        if (stage.ThrottlingBurstLimit is { } burst)
        {
            writer.WriteNumber("throttlingBurstLimit", burst);
        }

        if (stage.ThrottlingRateLimit is { } rate)
        {
            writer.WriteNumber("throttlingRateLimit", rate);
        }

        writer.WriteEndObject();
        if (stage.AccessLogDestinationArn is not null || stage.AccessLogFormat is not null)
        {
            writer.WriteStartObject("accessLogSettings");
            if (stage.AccessLogDestinationArn is { } destination)
            {
                writer.WriteString("destinationArn", destination);
            }

            if (stage.AccessLogFormat is { } format)
            {
                writer.WriteString("format", format);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>A list answer: <c>{"items": […]}</c>, all in one page (a local account holds few).</summary>
    private static void Items<T>(Utf8JsonWriter writer, IEnumerable<T> items, Action<Utf8JsonWriter, T> write)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        foreach (var item in items)
        {
            write(writer, item);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
