using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// A minimal Lambda runtime written for the tests (not the Function's adapter): one execution environment on one
/// connection, speaking the Runtime API at <c>http://{AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/…</c>.
/// Disposing it closes its connection, which is how an in-process environment goes away.
/// </summary>
public sealed class RuntimeApiClient : IDisposable
{
    private readonly HttpClient _http;

    public RuntimeApiClient(string runtimeApi)
    {
#pragma warning disable CA2000 // The HttpClient disposes its handler.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        _http = new HttpClient(handler) { BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public sealed record Event(string RequestId, IReadOnlyDictionary<string, string> Headers, string Body);

    public async Task<Event> NextAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri("invocation/next", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Event(headers["Lambda-Runtime-Aws-Request-Id"], headers, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public Task<(HttpStatusCode Status, string Body)> RespondAsync(string requestId, string payload) =>
        PostAsync($"invocation/{requestId}/response", Encoding.UTF8.GetBytes(payload), errorType: null);

    public Task<(HttpStatusCode Status, string Body)> RespondAsync(string requestId, byte[] payload) =>
        PostAsync($"invocation/{requestId}/response", payload, errorType: null);

    public Task<(HttpStatusCode Status, string Body)> ErrorAsync(string requestId, string errorType, string message) =>
        PostAsync($"invocation/{requestId}/error", ErrorBody(errorType, message), errorType);

    public Task<(HttpStatusCode Status, string Body)> InitErrorAsync(string errorType, string message) =>
        PostAsync("init/error", ErrorBody(errorType, message), errorType);

    public void Dispose() => _http.Dispose();

    private static byte[] ErrorBody(string errorType, string message) =>
        Encoding.UTF8.GetBytes($$"""{"errorMessage":"{{message}}","errorType":"{{errorType}}","stackTrace":[]}""");

    private async Task<(HttpStatusCode, string)> PostAsync(string path, byte[] payload, string? errorType)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (errorType is not null)
        {
            request.Headers.Add("Lambda-Runtime-Function-Error-Type", errorType);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
