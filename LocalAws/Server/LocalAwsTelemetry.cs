using System.Diagnostics;

namespace Tap.LocalAws;

/// <summary>One span per AWS operation served, named as AWS SDK instrumentation names its client spans.</summary>
internal static class LocalAwsTelemetry
{
    public const string ActivitySourceName = "Tap.LocalAws";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// The operation's server span: a child of the request's span when the host traces requests, else of the
    /// caller's W3C <c>traceparent</c>, so the caller's trace continues here either way.
    /// </summary>
    public static Activity? StartOperation(string service, string operation, string requestId, HttpRequest request)
    {
        var activity = Source.StartActivity($"{service}.{operation}", ActivityKind.Server, CallerContext(request));
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", operation);
        activity?.SetTag("aws.request_id", requestId);
        return activity;
    }

    /// <summary>
    /// An HTTP API request's server span (named for the route once one matches), parented like
    /// <see cref="StartOperation"/>. Only the path is recorded: a query string can hold a presigned signature.
    /// </summary>
    public static Activity? StartHttpApiRequest(string api, string apiId, string stage, string requestId, HttpRequest request)
    {
        var activity = Source.StartActivity($"{api} {request.Method}", ActivityKind.Server, CallerContext(request));
        activity?.SetTag("http.request.method", request.Method);
        activity?.SetTag("url.path", request.Path.Value);
        activity?.SetTag("aws.api_gateway.api_id", apiId);
        activity?.SetTag("aws.api_gateway.stage", stage);
        activity?.SetTag("aws.request_id", requestId);
        activity?.SetTag("aws.api_gateway.throttled", false);
        return activity;
    }

    /// <summary>The gateway's call into a function: the parent of the function's own spans.</summary>
    public static Activity? StartInvocation(string function)
    {
        var activity = Source.StartActivity("Lambda.Invoke", ActivityKind.Client);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", "Lambda");
        activity?.SetTag("rpc.method", "Invoke");
        activity?.SetTag("faas.invoked_name", function);
        activity?.SetTag("faas.invoked_provider", "aws");
        return activity;
    }

    /// <summary>No parent when the host already traces the request; else the caller's W3C <c>traceparent</c>.</summary>
    private static ActivityContext CallerContext(HttpRequest request)
    {
        ActivityContext parent = default;
        if (Activity.Current is null && request.Headers.TryGetValue("traceparent", out var traceparent))
        {
            ActivityContext.TryParse(traceparent, request.Headers["tracestate"], isRemote: true, out parent);
        }

        return parent;
    }
}
