using System.Diagnostics;

namespace Tap.LocalAws;

/// <summary>One span per AWS operation served, named as AWS SDK instrumentation names its client spans.</summary>
internal static class LocalAwsTelemetry
{
    public const string ActivitySourceName = "Tap.LocalAws";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    public static Activity? StartOperation(string service, string operation, string requestId)
    {
        var activity = Source.StartActivity($"{service}.{operation}", ActivityKind.Server);
        activity?.SetTag("rpc.system", "aws-api");
        activity?.SetTag("rpc.service", service);
        activity?.SetTag("rpc.method", operation);
        activity?.SetTag("aws.request_id", requestId);
        return activity;
    }
}
