using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tap.LocalAws.Telemetry;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// An HTTP API's telemetry under its own resource: a server span per request (named as OpenTelemetry names HTTP
/// server spans, <c>GET /{proxy+}</c>, once a route matches), the client span of each call into a function, the
/// stage's access log, and CloudWatch's <c>AWS/ApiGateway</c> metrics for HTTP APIs with their meaning, units and
/// dimensions (<c>ApiId</c>, <c>Stage</c>; <c>Method</c> and <c>Resource</c>, the route's, when the stage has
/// detailed metrics). Each instrument's name is <c>aws.apigateway.</c> and CloudWatch's metric name. As CloudWatch
/// does, <c>4xx</c> and <c>5xx</c> count every request, 0 or 1, so their sum is the errors and their mean the rate.
/// </summary>
internal sealed class HttpApiTelemetry
{
    // Milliseconds: API Gateway's own latencies sit well under OpenTelemetry's default first bucket (5 ms).
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
    };

    private readonly Counter<long> _count;
    private readonly Counter<long> _clientErrors;
    private readonly Counter<long> _serverErrors;
    private readonly Histogram<double> _latency;
    private readonly Histogram<double> _integrationLatency;
    private readonly Counter<long> _dataProcessed;

    public HttpApiTelemetry(ResourceTelemetry resource)
    {
        Resource = resource;
        AccessLog = resource.CreateLogger("AccessLog");
        var meter = resource.Meter;
        _count = meter.CreateCounter<long>("aws.apigateway.Count", "{request}", "The number of API requests (CloudWatch AWS/ApiGateway Count).");
        _clientErrors = meter.CreateCounter<long>("aws.apigateway.4xx", "{request}", "Client-side errors: 1 for a request answered 4xx, else 0 (CloudWatch AWS/ApiGateway 4xx).");
        _serverErrors = meter.CreateCounter<long>("aws.apigateway.5xx", "{request}", "Server-side errors: 1 for a request answered 5xx, else 0 (CloudWatch AWS/ApiGateway 5xx).");
        _latency = meter.CreateHistogram("aws.apigateway.Latency", "ms",
            "From the request's arrival to the answer, the integration's latency and API Gateway's overhead included (CloudWatch AWS/ApiGateway Latency).", tags: null, LatencyBuckets);
        _integrationLatency = meter.CreateHistogram("aws.apigateway.IntegrationLatency", "ms",
            "From relaying the request to the function to its answer (CloudWatch AWS/ApiGateway IntegrationLatency).", tags: null, LatencyBuckets);
        _dataProcessed = meter.CreateCounter<long>("aws.apigateway.DataProcessed", "By", "Request and response bodies, in bytes (CloudWatch AWS/ApiGateway DataProcessed).");
    }

    public ResourceTelemetry Resource { get; }

    /// <summary>The stage's access log (category <c>Tap.LocalAws.HttpApi.{name}.AccessLog</c>).</summary>
    public ILogger AccessLog { get; }

    /// <summary>
    /// A request's server span, a child of the caller's W3C <c>traceparent</c>. Only the path is recorded: a query
    /// string can hold a presigned signature.
    /// </summary>
    public Activity? StartRequest(HttpApi api, string requestId, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(request);
        var activity = Resource.Source.StartActivity(request.Method, ActivityKind.Server, LocalAwsTelemetry.CallerContext(request));
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("url.path", request.Path.Value);
        activity?.SetTag("aws.api_gateway.api_id", api.ApiId);
        activity?.SetTag("aws.api_gateway.stage", api.Stage);
        activity?.SetTag("aws.request_id", requestId);
        activity?.SetTag("aws.api_gateway.throttled", false);
        return activity;
    }

    /// <summary>Names the span for the route that matched: <c>{method} {route path}</c>, or the method for <c>$default</c>.</summary>
    public static void Routed(Activity? activity, string method, RouteKey route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("aws.api_gateway.route_key", route.Text);
        if (!route.IsDefault)
        {
            activity.DisplayName = $"{method} {route.Path}";
            activity.SetTag("http.route", route.Path);
        }
    }

    /// <summary>The gateway's call into a function: the parent of the function's own spans.</summary>
    public Activity? StartInvocation(string function)
    {
        var activity = Resource.Source.StartActivity("Lambda.Invoke", ActivityKind.Client);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", "Lambda");
        activity?.SetTag("rpc.method", "Invoke");
        activity?.SetTag("faas.invoked_name", function);
        activity?.SetTag("faas.invoked_provider", "aws");
        return activity;
    }

    /// <summary>One request's metrics, once it is answered.</summary>
    public void Record(HttpApi api, AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(entry);
        if (!_count.Enabled)
        {
            return;
        }

        var tags = new TagList { { "ApiId", api.ApiId }, { "Stage", api.Stage } };
        if (api.DetailedMetrics && entry.Route is { } route)
        {
            tags.Add("Method", route.Method ?? RouteKey.AnyMethod);
            tags.Add("Resource", route.IsDefault ? RouteKey.Default : route.Path);
        }

        _count.Add(1, tags);
        _clientErrors.Add(entry.Status is >= 400 and < 500 ? 1 : 0, tags);
        _serverErrors.Add(entry.Status >= 500 ? 1 : 0, tags);
        if (entry.IntegrationLatency is { } integration)
        {
            _integrationLatency.Record(integration.TotalMilliseconds, tags);
        }

        _dataProcessed.Add(entry.RequestLength + entry.ResponseLength, tags);

        // Last, so an export that has counted a request's Latency was collected after all its other measurements.
        _latency.Record(entry.ResponseLatency.TotalMilliseconds, tags);
    }
}
