using System.Text.Json;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>A span as the dashboard holds it, with the resource (service) that sent it.</summary>
internal sealed record DashboardSpan(string Service, string Scope, string TraceId, string SpanId, string? ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>A structured log record as the dashboard holds it.</summary>
internal sealed record DashboardLog(string Service, string Scope, string Body, string? TraceId, IReadOnlyDictionary<string, string> Attributes);

/// <summary>The dashboard's telemetry HTTP API (<c>/api/telemetry/…</c>, OTLP JSON), read as a person's tools read it.</summary>
internal sealed class DashboardTelemetry(Uri dashboard, string apiKey) : IDisposable
{
    private readonly HttpClient _client = new() { BaseAddress = dashboard, DefaultRequestHeaders = { { "x-api-key", apiKey } } };

    public async Task<IReadOnlyList<DashboardSpan>> SpansAsync()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/telemetry/traces", UriKind.Relative)));
        var spans = new List<DashboardSpan>();
        foreach (var resource in json.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var service = Service(resource);
            foreach (var scope in resource.GetProperty("scopeSpans").EnumerateArray())
            {
                var scopeName = scope.GetProperty("scope").GetProperty("name").GetString()!;
                spans.AddRange(scope.GetProperty("spans").EnumerateArray().Select(span => new DashboardSpan(
                    service,
                    scopeName,
                    span.GetProperty("traceId").GetString()!,
                    span.GetProperty("spanId").GetString()!,
                    span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                    span.GetProperty("name").GetString()!,
                    Attributes(span))));
            }
        }

        return spans;
    }

    public async Task<IReadOnlyList<DashboardLog>> LogsAsync()
    {
        using var json = JsonDocument.Parse(await _client.GetStringAsync(new Uri("/api/telemetry/logs", UriKind.Relative)));
        var logs = new List<DashboardLog>();
        foreach (var resource in json.RootElement.GetProperty("data").GetProperty("resourceLogs").EnumerateArray())
        {
            var service = Service(resource);
            foreach (var scope in resource.GetProperty("scopeLogs").EnumerateArray())
            {
                var scopeName = scope.GetProperty("scope").GetProperty("name").GetString()!;
                logs.AddRange(scope.GetProperty("logRecords").EnumerateArray().Select(record => new DashboardLog(
                    service,
                    scopeName,
                    record.TryGetProperty("body", out var body) ? Value(body) : string.Empty,
                    record.TryGetProperty("traceId", out var trace) ? trace.GetString() : null,
                    Attributes(record))));
            }
        }

        return logs;
    }

    /// <summary>
    /// Waits (30 s at most) until the dashboard holds the trace of the request to a path ending in
    /// <paramref name="pathEnd"/>, with the Function's and LocalAws's Secrets Manager spans in it; returns its spans.
    /// </summary>
    public async Task<IReadOnlyList<DashboardSpan>> TraceThatFetchedTheSecretAsync(string pathEnd)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var seen = string.Empty;
        while (true)
        {
            var spans = await SpansAsync();
            var request = spans.FirstOrDefault(s => s.Service == TapApplication.HttpApi.Name && s.Attributes.GetValueOrDefault("url.path")?.EndsWith(pathEnd, StringComparison.Ordinal) == true);
            var trace = request is null ? [] : spans.Where(s => s.TraceId == request.TraceId).ToList();
            if (trace.Any(s => s.Service == "api-handler" && s.Name == SecretsManagerGetSecretValue)
                && trace.Any(s => s.Service == "localaws" && s.Scope == "Tap.LocalAws" && s.Name == SecretsManagerGetSecretValue))
            {
                return trace;
            }

            seen = string.Join("\n", (trace.Count > 0 ? trace : spans.TakeLast(8)).Select(s => $"{s.Service} {s.Scope} {s.Name} {s.TraceId}"));
            Assert.True(DateTime.UtcNow < deadline, $"the dashboard did not receive the request's trace in time; it holds:\n{seen}");
            await Task.Delay(500);
        }
    }

    public const string SecretsManagerGetSecretValue = "Secrets Manager.GetSecretValue";

    public void Dispose() => _client.Dispose();

    private static string Service(JsonElement resource) =>
        resource.TryGetProperty("resource", out var r) && Attributes(r).TryGetValue("service.name", out var name) ? name : "?";

    private static Dictionary<string, string> Attributes(JsonElement element)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("attributes", out var list))
        {
            foreach (var attribute in list.EnumerateArray())
            {
                attributes[attribute.GetProperty("key").GetString()!] = Value(attribute.GetProperty("value"));
            }
        }

        return attributes;
    }

    private static string Value(JsonElement value) =>
        value.EnumerateObject().FirstOrDefault() is { Value: var v } && v.ValueKind == JsonValueKind.String ? v.GetString()! : value.ToString();
}
