using System.Net;
using System.Text.Json;

namespace Tap.Function.Tests;

/// <summary>A failure inside the handler answers the contract's generic 500 and reveals nothing.</summary>
public sealed class ErrorContractTests : IDisposable
{
    private const string SensitiveDetail = "db-password=hunter2";

    private readonly FunctionFactory _factory = new() { Clock = new FailingClock() };

    [Fact]
    public async Task Handler_exception_answers_500_with_the_error_contract()
    {
        using var client = _factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/orders/42", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(SensitiveDetail, body, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal(["error", "message", "requestId"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Internal server error", root.GetProperty("error").GetString());
        Assert.Equal("Failed to process request", root.GetProperty("message").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-ID")), root.GetProperty("requestId").GetString());
    }

    public void Dispose() => _factory.Dispose();

    private sealed class FailingClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException(SensitiveDetail);
    }
}
