using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Tap.LocalAws.Telemetry;
using Tap.LocalAws.Tests.Lambda;

namespace Tap.LocalAws.Tests.Telemetry;

/// <summary>
/// The metrics LocalAws exports for each resource it serves, as an exporter receives them (an in-memory one added
/// where LocalAws adds OTLP's): <see cref="Register"/> it with the host's services, then read a resource's latest
/// export after <see cref="Flush"/>.
/// </summary>
public sealed class ExportedMetrics
{
    private readonly ConcurrentDictionary<string, List<MetricSnapshot>> _exported = new(StringComparer.Ordinal);
    private LambdaTestHost? _host;

    /// <summary>Each served resource's names seen so far (the OpenTelemetry resource each was exported under).</summary>
    public IReadOnlyCollection<string> Resources => [.. _exported.Keys];

    public void Register(IServiceCollection services) =>
        services.Configure<ResourceTelemetryOptions>(options => options.ConfigureExport = (name, telemetry) =>
            telemetry.WithMetrics(metrics => metrics.AddInMemoryExporter(_exported.GetOrAdd(name, _ => []))));

    public void Attach(LambdaTestHost host) => _host = host;

    /// <summary>Exports every instrument's current value now, for the HTTP API or function <paramref name="resource"/>.</summary>
    public void Flush(string resource, bool isFunction = false)
    {
        var registry = _host!.Factory.Services.GetRequiredService<ResourceTelemetryRegistry>();
        (isFunction ? registry.Function(resource).Resource : registry.HttpApi(resource).Resource).ForceFlush();
    }

    /// <summary>The points of <paramref name="instrument"/> in the resource's latest export, each with its tags.</summary>
    public IReadOnlyList<(IReadOnlyDictionary<string, object?> Tags, MetricPoint Point)> Points(string resource, string instrument)
    {
        // Exports are cumulative: the latest holds every measurement so far.
        var latest = _exported.GetValueOrDefault(resource)?.LastOrDefault(s => s.Name == instrument);
        if (latest is null)
        {
            return [];
        }

        var points = new List<(IReadOnlyDictionary<string, object?>, MetricPoint)>();
        foreach (var point in latest.MetricPoints)
        {
            var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in point.Tags)
            {
                tags[tag.Key] = tag.Value;
            }

            points.Add((tags, point));
        }

        return points;
    }

    /// <summary>A counter's total over the points whose tags hold every one of <paramref name="where"/>.</summary>
    public long Sum(string resource, string instrument, params (string Key, string Value)[] where) =>
        Points(resource, instrument).Where(p => Matches(p.Tags, where)).Sum(p => p.Point.GetSumLong());

    /// <summary>A histogram's (count, sum) over the points whose tags hold every one of <paramref name="where"/>.</summary>
    public (long Count, double Sum) Histogram(string resource, string instrument, params (string Key, string Value)[] where)
    {
        var points = Points(resource, instrument).Where(p => Matches(p.Tags, where)).ToList();
        return (points.Sum(p => p.Point.GetHistogramCount()), points.Sum(p => p.Point.GetHistogramSum()));
    }

    private static bool Matches(IReadOnlyDictionary<string, object?> tags, (string Key, string Value)[] where) =>
        where.All(w => tags.TryGetValue(w.Key, out var value) && Equals(value as string, w.Value));
}
