using System.Net;
using System.Text;

namespace Tap.Aws.SecretsManager.Tests;

/// <summary>Stands in for the network: records each request as sent and answers from a queue.</summary>
public sealed class StubAwsHandler : HttpMessageHandler
{
    private readonly Queue<Func<HttpResponseMessage>> _responses = new();

    public List<RecordedRequest> Requests { get; } = [];

    public StubAwsHandler Respond(HttpStatusCode status, string body, string requestId = "req-1")
    {
        _responses.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
            response.Headers.Add("x-amzn-RequestId", requestId);
            return response;
        });
        return this;
    }

    public StubAwsHandler Fail(Exception exception)
    {
        _responses.Enqueue(() => throw exception);
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add(new RecordedRequest(
            request.Method,
            request.RequestUri!,
            request.Headers.NonValidated.ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content?.Headers.ContentType?.ToString(),
            body));
        return _responses.Count == 0
            ? throw new InvalidOperationException("No response queued.")
            : _responses.Dequeue()();
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? ContentType, string Body);
