using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>Traces, metrics and logs, exported over OTLP when an endpoint is configured (Aspire sets one).</summary>
public static class OpenTelemetryExtensions
{
    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Logging.AddOpenTelemetry(ConfigureLogRecords);

        var telemetry = builder.Services.AddOpenTelemetry();
        if (ExportsMetrics(builder.Configuration))
        {
            telemetry.WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());
        }

        telemetry.WithTracing(tracing => tracing
            .AddSource(builder.Environment.ApplicationName)
            .AddAspNetCoreInstrumentation(options =>
                // Health probes arrive every few seconds; tracing them buries the requests that matter.
                options.Filter = context => !HealthCheckExtensions.IsHealthCheckPath(context.Request.Path))
            .AddHttpClientInstrumentation());

        if (ExportsOverOtlp(builder.Configuration))
        {
            telemetry.ExportOverOtlp(builder.Configuration);
        }

        return builder;
    }

    /// <summary>
    /// OTLP exporters for every signal the builder has, as <c>UseOtlpExporter</c> adds them; but that call also turns
    /// metrics on, so without metrics (<see cref="ExportsMetrics"/>) traces and logs get their exporters one by one.
    /// </summary>
    public static IOpenTelemetryBuilder ExportOverOtlp(this IOpenTelemetryBuilder telemetry, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        return ExportsMetrics(configuration)
            ? telemetry.UseOtlpExporter()
            : telemetry.WithTracing(tracing => tracing.AddOtlpExporter()).WithLogging(logging => logging.AddOtlpExporter());
    }

    /// <summary>What every log record carries: its formatted message and its scopes.</summary>
    public static void ConfigureLogRecords(OpenTelemetryLoggerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.IncludeFormattedMessage = true;
        options.IncludeScopes = true;
    }

    /// <summary>Whether an OTLP endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).</summary>
    public static bool ExportsOverOtlp(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    /// <summary>
    /// Whether metrics are collected: unless <c>OTEL_METRICS_EXPORTER</c> is <c>none</c>, as OpenTelemetry's
    /// configuration defines it.
    /// </summary>
    public static bool ExportsMetrics(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.Equals(configuration["OTEL_METRICS_EXPORTER"]?.Trim(), "none", StringComparison.OrdinalIgnoreCase);
    }
}
