using System.Diagnostics;

namespace Tap.LocalAws.Telemetry;

/// <summary>LocalAws's own spans: one per AWS operation served, named as AWS SDK instrumentation names its client spans.</summary>
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

    /// <summary>No parent when the host already traces the request; else the caller's W3C <c>traceparent</c>.</summary>
    public static ActivityContext CallerContext(HttpRequest request)
    {
        ActivityContext parent = default;
        if (Activity.Current is null && request.Headers.TryGetValue("traceparent", out var traceparent))
        {
            ActivityContext.TryParse(traceparent, request.Headers["tracestate"], isRemote: true, out parent);
        }

        return parent;
    }
}
