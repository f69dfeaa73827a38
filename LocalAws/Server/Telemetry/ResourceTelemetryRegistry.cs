using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Telemetry;

/// <summary>How the served resources' telemetry is exported besides OTLP (a test adds an in-memory exporter here).</summary>
internal sealed class ResourceTelemetryOptions
{
    /// <summary>Called with each resource's name and its OpenTelemetry builder, before its providers are built.</summary>
    public Action<string, IOpenTelemetryBuilder>? ConfigureExport { get; set; }
}

/// <summary>
/// Each served resource's <see cref="ResourceTelemetry"/>, made on first use and kept while LocalAws runs. Its
/// providers export as LocalAws's own do (the same <c>OTEL_*</c> settings, <c>OTEL_METRICS_EXPORTER=none</c>
/// included) but under the resource's name, never LocalAws's <c>OTEL_SERVICE_NAME</c> or
/// <c>OTEL_RESOURCE_ATTRIBUTES</c>. With nothing to export to, a resource has no providers: its instruments stay
/// disabled and cost nothing, and its logs still reach LocalAws's console and log providers.
/// </summary>
internal sealed class ResourceTelemetryRegistry(
    IConfiguration configuration,
    IEnumerable<ILoggerProvider> hostLoggers,
    IOptionsMonitor<LoggerFilterOptions> logFilters,
    IOptions<ResourceTelemetryOptions> options,
    LocalAwsSettings settings) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<HttpApiTelemetry>> _apis = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<FunctionTelemetry>> _functions = new(StringComparer.Ordinal);

    // LocalAws's own OpenTelemetry log provider is left out: it would file the records under LocalAws.
    private readonly ILoggerProvider[] _hostLoggers = [.. hostLoggers.Where(p => p is not OpenTelemetryLoggerProvider)];

    /// <summary>An HTTP API's telemetry (<c>Tap.LocalAws.HttpApi.{name}</c>), shared by its stages and its revisions.</summary>
    public HttpApiTelemetry HttpApi(string name) =>
        _apis.GetOrAdd(name, _ => new(() => new HttpApiTelemetry(Create($"Tap.LocalAws.HttpApi.{name}", name, [])))).Value;

    /// <summary>
    /// A Lambda function's telemetry (<c>Tap.LocalAws.Lambda.{name}</c>), shared by its revisions; a hosted function's
    /// is filed under its host's service name when one is set.
    /// </summary>
    public FunctionTelemetry Function(string name) =>
        _functions.GetOrAdd(name, _ => new(() => new FunctionTelemetry(Create($"Tap.LocalAws.Lambda.{name}",
            settings.HostedFunctions.FirstOrDefault(h => h.Name == name)?.ServiceName ?? name, [KeyValuePair.Create<string, object>("faas.name", name)])))).Value;

    public void Dispose()
    {
        foreach (var api in _apis.Values.Where(r => r.IsValueCreated))
        {
            api.Value.Resource.Dispose();
        }

        foreach (var function in _functions.Values.Where(r => r.IsValueCreated))
        {
            function.Value.Resource.Dispose();
        }
    }

    private ResourceTelemetry Create(string scope, string name, KeyValuePair<string, object>[] attributes)
    {
        var otlp = OpenTelemetryExtensions.ExportsOverOtlp(configuration);
        var configure = options.Value.ConfigureExport;
        if (!otlp && configure is null)
        {
            return new ResourceTelemetry(name, scope, new LoggerFactory(_hostLoggers, logFilters));
        }

        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        services.AddLogging();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.Clear()
                // The instance id is the name: the dashboard then shows the resource under its name alone.
                .AddService(name, serviceInstanceId: name)
                .AddAttributes([
                    KeyValuePair.Create<string, object>("cloud.provider", "aws"),
                    KeyValuePair.Create<string, object>("cloud.region", settings.Region),
                    KeyValuePair.Create<string, object>("cloud.account.id", settings.AccountId),
                    .. attributes]))
            .WithTracing(tracing => tracing.AddSource(scope))
            .WithLogging(configureBuilder: null, configureOptions: OpenTelemetryExtensions.ConfigureLogRecords);
        if (OpenTelemetryExtensions.ExportsMetrics(configuration))
        {
            telemetry.WithMetrics(metrics => metrics.AddMeter(scope));
        }

        if (otlp)
        {
            telemetry.ExportOverOtlp(configuration);
        }

        configure?.Invoke(name, telemetry);
        var provider = services.BuildServiceProvider();
        var tracing = provider.GetService<TracerProvider>();
        var metrics = provider.GetService<MeterProvider>();
        var logs = provider.GetService<LoggerProvider>();
        var loggers = new LoggerFactory([.. _hostLoggers, .. provider.GetServices<ILoggerProvider>().OfType<OpenTelemetryLoggerProvider>()], logFilters);
        return new ResourceTelemetry(name, scope, loggers, provider, () =>
        {
            tracing?.ForceFlush();
            metrics?.ForceFlush();
            logs?.ForceFlush();
        });
    }
}
