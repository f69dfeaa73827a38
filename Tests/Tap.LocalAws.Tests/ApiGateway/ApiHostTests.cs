using System.Text.Json;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// A request is bound to the API it was made for: its <c>Host</c> (which the signature covers) must name this API's
/// listener or this API as AWS spells it, so a request signed for one API is refused by another, and the event's
/// domain name is the API's.
/// </summary>
public sealed class ApiHostTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string TwinApiId = LocalAwsHttpApiSettings.DefaultApiId("twin-api");

    [Fact]
    public async Task A_request_signed_for_one_API_is_refused_unchanged_by_another_on_the_same_stage_and_path()
    {
        var original = await RawHttp.SendSignedAsync(gateway.TestApi, TestPrincipals.Invoker, "GET", "/prod/orders/7");
        var replayed = await RawHttp.SendSignedAsync(gateway.TwinApi, TestPrincipals.Invoker, "GET", "/prod/orders/7", host: gateway.TestApi.Authority);

        Assert.Equal(200, original.Status);
        Assert.Equal(403, replayed.Status);
        Assert.Equal("ForbiddenException", replayed.Headers["x-amzn-ErrorType"]);
        Assert.Equal("""{"message":"Forbidden"}""", replayed.Body);
        Assert.True(replayed.Headers.ContainsKey("apigw-requestid"));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("localhost.evil.example")]
    [InlineData("{test}.execute-api.us-east-1.localhost")]
    [InlineData("{twin}.execute-api.eu-west-1.localhost")]
    [InlineData("{twin}.execute-api.us-east-1.")]
    public async Task A_signed_host_that_names_another_API_or_host_is_refused(string name)
    {
        var host = Host(name) + ":" + gateway.TwinApi.Port;

        var response = await RawHttp.SendSignedAsync(gateway.TwinApi, TestPrincipals.Invoker, "GET", "/prod/orders/7", host: host);

        Assert.Equal(403, response.Status);
        Assert.Equal("ForbiddenException", response.Headers["x-amzn-ErrorType"]);
    }

    [Fact]
    public async Task A_host_on_another_port_is_refused()
    {
        var response = await RawHttp.SendSignedAsync(gateway.TwinApi, TestPrincipals.Invoker, "GET", "/prod/orders/7", host: $"127.0.0.1:{gateway.TestApi.Port}");

        Assert.Equal(403, response.Status);
    }

    [Theory]
    [InlineData("localhost", "localhost")]
    [InlineData("127.0.0.1", "127")]
    [InlineData("{twin}.execute-api.us-east-1.localhost", "{twin}")]
    [InlineData("{TWIN}.EXECUTE-API.us-east-1.amazonaws.com", "{TWIN}")]
    public async Task The_event_names_the_API_by_the_host_it_was_called_by(string name, string prefix)
    {
        var response = await RawHttp.SendSignedAsync(gateway.TwinApi, TestPrincipals.Invoker, "GET", "/prod/orders/7", host: Host(name) + ":" + gateway.TwinApi.Port);

        Assert.Equal(200, response.Status);
        using var @event = JsonDocument.Parse(response.Body);
        var context = @event.RootElement.GetProperty("requestContext");
        Assert.Equal(Host(name), context.GetProperty("domainName").GetString());
        Assert.Equal(Host(prefix), context.GetProperty("domainPrefix").GetString());
        Assert.Equal(TwinApiId, context.GetProperty("apiId").GetString());
    }

    private static string Host(string name) => name
        .Replace("{test}", LocalAwsHttpApiSettings.DefaultApiId("test-api"), StringComparison.Ordinal)
        .Replace("{twin}", TwinApiId, StringComparison.Ordinal)
        .Replace("{TWIN}", TwinApiId.ToUpperInvariant(), StringComparison.Ordinal);
}
