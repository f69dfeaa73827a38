using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenTelemetry;

namespace Tap.Aws.Lambda.Hosting.Runtime;

/// <summary>
/// The Lambda Runtime API (<c>http://{AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/…</c>). The variable is an opaque
/// prefix: <c>host:port</c> in AWS, possibly with a path locally. Its own HttpClient: no timeout (the long poll may
/// wait for minutes), no resilience handler, no retries of <c>/response</c>, and no spans or trace headers: these
/// calls are the runtime's plumbing, not the function's work (a <c>traceparent</c> would name a span never exported).
/// </summary>
internal sealed class LambdaRuntimeApiClient : IDisposable
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";
    public const string FunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly TimeProvider _clock;

    public LambdaRuntimeApiClient(string runtimeApi, TimeProvider clock, HttpMessageHandler? handler = null)
    {
        _base = new Uri($"http://{runtimeApi.Trim().TrimEnd('/')}/2018-06-01/runtime/", UriKind.Absolute);
        _clock = clock;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null })
            : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public Uri BaseAddress => _base;

    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken)
    {
        using var scope = SuppressInstrumentationScope.Begin();
        using var response = await _http.GetAsync(new Uri(_base, "invocation/next"), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidOperationException("The Runtime API returned an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : _clock.GetUtcNow().AddMinutes(15);
        return new LambdaInvocation(
            requestId,
            deadline,
            Header(response, "Lambda-Runtime-Invoked-Function-Arn") ?? string.Empty,
            Header(response, "Lambda-Runtime-Trace-Id") ?? string.Empty,
            await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
            _clock);
    }

    public Task PostResponseAsync(string requestId, byte[] payload) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", payload, errorType: null);

    public Task PostErrorAsync(string requestId, string errorType, string message) =>
        PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/error", ErrorBody(errorType, message), errorType);

    public Task PostInitErrorAsync(string errorType, string message) =>
        PostAsync("init/error", ErrorBody(errorType, message), errorType);

    public void Dispose() => _http.Dispose();

    private async Task PostAsync(string path, byte[] payload, string? errorType)
    {
        using var scope = SuppressInstrumentationScope.Begin();
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        }

        using var response = await _http.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Lambda's error shape: <c>{"errorMessage", "errorType", "stackTrace"}</c>.</summary>
    private static byte[] ErrorBody(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteStartArray("stackTrace");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
