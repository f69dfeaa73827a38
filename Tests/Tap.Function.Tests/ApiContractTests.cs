using System.Net;
using System.Text.Json;

namespace Tap.Function.Tests;

/// <summary>The API's HTTP contract (README), as a caller sees it under Kestrel.</summary>
public sealed class ApiContractTests(FunctionFactory factory) : IClassFixture<FunctionFactory>
{
    private static readonly string[] ContractProperties =
    [
        "message", "method", "path", "requestId", "timestamp", "configLoaded", "availableConfigKeys", "caller",
    ];

    [Fact]
    public async Task Get_nested_path_answers_the_documented_json()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/orders/42", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var root = json.RootElement;
        Assert.Equal(ContractProperties, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Request processed successfully", root.GetProperty("message").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/orders/42", root.GetProperty("path").GetString());
        Assert.Equal("2026-11-28T12:34:56.789Z", root.GetProperty("timestamp").GetString());
        Assert.True(root.GetProperty("configLoaded").GetBoolean());
        Assert.Equal(["API_KEY", "DATABASE_URL", "EXTERNAL_SERVICE_TOKEN"], root.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("caller").ValueKind);
    }

    [Fact]
    public async Task Request_id_in_body_matches_the_X_Request_ID_header()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        var header = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        Assert.False(string.IsNullOrWhiteSpace(header));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(header, json.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("/", json.RootElement.GetProperty("path").GetString());
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("POST", "/orders")]
    [InlineData("PUT", "/orders/42")]
    [InlineData("DELETE", "/orders/42")]
    [InlineData("PATCH", "/a/b/c")]
    [InlineData("OPTIONS", "/x")]
    public async Task Any_method_on_any_path_is_described_back(string method, string path)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method is "POST" or "PUT" ? new StringContent("{\"id\":42}") : null,
        };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(method, json.RootElement.GetProperty("method").GetString());
        Assert.Equal(path, json.RootElement.GetProperty("path").GetString());
    }

    [Fact]
    public async Task Distinct_requests_get_distinct_request_ids()
    {
        using var client = factory.CreateClient();

        using var first = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        using var second = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.NotEqual(
            Assert.Single(first.Headers.GetValues("X-Request-ID")),
            Assert.Single(second.Headers.GetValues("X-Request-ID")));
    }
}
