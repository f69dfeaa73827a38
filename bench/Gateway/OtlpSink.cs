using System.Globalization;
using System.Net;
using Tap.Testing;

namespace Tap.Bench;

/// <summary>
/// An OTLP/HTTP receiver that accepts every export and keeps only counts, so a LocalAws under measurement exports its
/// telemetry as it does to the Aspire dashboard (every second) without the dashboard's own cost in the run.
/// </summary>
internal sealed class OtlpSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Uri _endpoint = new($"http://127.0.0.1:{TcpPorts.Free()}/");
    private int _metricExports;
    private int _traceExports;

    private OtlpSink()
    {
        _listener.Prefixes.Add(_endpoint.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int MetricExports => Volatile.Read(ref _metricExports);

    public int TraceExports => Volatile.Read(ref _traceExports);

    public static OtlpSink Start() => new();

    /// <summary>OpenTelemetry's settings that send a process's telemetry here, with or without metrics.</summary>
    public Dictionary<string, string> Environment(bool metrics) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "1000",
        ["OTEL_METRICS_EXPORTER"] = metrics ? "otlp" : "none",
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{MetricExports} metric exports, {TraceExports} trace exports");

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            switch (context.Request.Url?.AbsolutePath)
            {
                case "/v1/metrics":
                    Interlocked.Increment(ref _metricExports);
                    break;
                case "/v1/traces":
                    Interlocked.Increment(ref _traceExports);
                    break;
            }

            await context.Request.InputStream.CopyToAsync(Stream.Null);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
