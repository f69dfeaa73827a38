using System.Net;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// Whatever status a function answers with, the client gets either that answer or API Gateway's own error, always
/// with <c>apigw-requestid</c> and the API's CORS headers, and the access log records what was sent.
/// </summary>
public sealed class FunctionStatusCodeTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(103)]
    [InlineData(199)]
    public async Task A_status_that_is_no_final_answer_becomes_API_Gateways_500_with_its_headers(int status)
    {
        using var response = await SendAsync(status);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(GatewayFixture.AllowedOrigin, Assert.Single(response.Headers.GetValues("access-control-allow-origin")));
        Assert.False(response.Headers.Contains("x-echo"));
        var line = await gateway.AccessLogAsync("test-api", Assert.Single(response.Headers.GetValues("apigw-requestid")));
        Assert.Contains("\"status\":\"500\"", line, StringComparison.Ordinal);
        Assert.Contains("\"responseLength\":\"35\"", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(204)]
    [InlineData(205)]
    [InlineData(304)]
    public async Task A_status_that_carries_no_body_is_passed_on_without_one(int status)
    {
        using var response = await SendAsync(status);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-echo")));
        Assert.Equal(GatewayFixture.AllowedOrigin, Assert.Single(response.Headers.GetValues("access-control-allow-origin")));
        var line = await gateway.AccessLogAsync("test-api", Assert.Single(response.Headers.GetValues("apigw-requestid")));
        Assert.Contains($"\"status\":\"{status}\"", line, StringComparison.Ordinal);
        Assert.Contains("\"responseLength\":\"0\"", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(418)]
    [InlineData(599)]
    public async Task Any_other_status_is_passed_on_with_its_body(int status)
    {
        using var response = await SendAsync(status);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("a body", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<HttpResponseMessage> SendAsync(int status)
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/prod/status/{status}", UriKind.Relative));
        request.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
