using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Tap.LocalAws.Telemetry;

/// <summary>
/// The telemetry of one resource LocalAws serves (an HTTP API, a Lambda function): its spans, metrics and logs, each
/// under an OpenTelemetry resource of its own (<c>service.name</c> is the resource's name), so a dashboard that groups
/// by resource shows the API's and the function's telemetry apart from LocalAws's. The activity source, the meter
/// and the log categories are named <c>Tap.LocalAws.{kind}.{name}</c>: providers subscribe by name, so each
/// resource's must be its own.
/// </summary>
internal sealed class ResourceTelemetry : IDisposable
{
    private readonly IDisposable? _providers;
    private readonly Action _flush;

    public ResourceTelemetry(string name, string scope, ILoggerFactory loggers, IDisposable? providers = null, Action? flush = null)
    {
        Name = name;
        Scope = scope;
        Source = new ActivitySource(scope);
        Meter = new Meter(scope);
        Loggers = loggers;
        _providers = providers;
        _flush = flush ?? (() => { });
    }

    /// <summary>The resource's name: its OpenTelemetry <c>service.name</c>.</summary>
    public string Name { get; }

    /// <summary>The instrumentation scope of everything it emits: <c>Tap.LocalAws.{kind}.{name}</c>.</summary>
    public string Scope { get; }

    public ActivitySource Source { get; }

    public Meter Meter { get; }

    /// <summary>Loggers whose records reach LocalAws's console and log providers, and the resource's own exporter.</summary>
    public ILoggerFactory Loggers { get; }

    public ILogger CreateLogger(string suffix = "") => Loggers.CreateLogger(suffix.Length == 0 ? Scope : $"{Scope}.{suffix}");

    /// <summary>Exports what is buffered now (the metrics' current values included).</summary>
    public void ForceFlush() => _flush();

    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
        Loggers.Dispose();
        _providers?.Dispose();
    }
}
