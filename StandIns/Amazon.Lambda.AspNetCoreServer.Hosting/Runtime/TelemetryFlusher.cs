using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Tap.Aws.Lambda.Hosting.Runtime;

/// <summary>
/// Lambda freezes the process when it next asks for an event, so buffered telemetry must be exported first. The
/// server calls this after posting a response: the caller already has its answer, so flushing adds no latency.
/// </summary>
internal sealed class TelemetryFlusher(IServiceProvider services)
{
    private const int TimeoutMilliseconds = 2000;

    public void Flush()
    {
        services.GetService<TracerProvider>()?.ForceFlush(TimeoutMilliseconds);
        services.GetService<LoggerProvider>()?.ForceFlush(TimeoutMilliseconds);
        services.GetService<MeterProvider>()?.ForceFlush(TimeoutMilliseconds);
    }
}
