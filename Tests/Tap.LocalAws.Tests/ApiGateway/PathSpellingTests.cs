using System.Text.Json;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// Every spelling of a path is routed, authorized and handed to the function as its one canonical form: an explicit
/// deny of a resource holds however its path is spelled, a wildcard below a path does not admit the path itself, and
/// a path that does not decode is refused before anything else.
/// </summary>
public sealed class PathSpellingTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Theory]
    [InlineData("/prod/orders/42")]
    [InlineData("/prod/orders/42/")]
    [InlineData("/prod/orders//42")]
    [InlineData("/prod//orders/42")]
    [InlineData("//prod/orders/42")]
    [InlineData("/prod/orders/./42")]
    [InlineData("/prod/orders/x/../42")]
    [InlineData("/prod/orders/%2e/42")]
    [InlineData("/prod/orders/%34%32")]
    [InlineData("/prod/orders%2F42")]
    [InlineData("/prod/orders%2f42")]
    [InlineData("/prod/%6Frders/42")]
    [InlineData("/prod/orders/42?debug=1")]
    public async Task An_explicit_deny_of_one_resource_holds_for_every_spelling_of_its_path(string target)
    {
        var response = await RawHttp.SendSignedAsync(gateway.TestApi, TestPrincipals.OrdersInvoker, "GET", target);

        Assert.Equal(403, response.Status);
        Assert.Equal("AccessDeniedException", response.Headers["x-amzn-ErrorType"]);
        Assert.EndsWith("/prod/GET/orders/42 with an explicit deny", Message(response));
    }

    [Theory]
    [InlineData("/prod/orders")]
    [InlineData("/prod/orders/")]
    [InlineData("/prod/orders//")]
    [InlineData("/prod/orders/.")]
    [InlineData("/prod/orders/7/..")]
    public async Task A_wildcard_below_a_path_does_not_admit_the_path_itself_however_it_is_spelled(string target)
    {
        var response = await RawHttp.SendSignedAsync(gateway.TestApi, TestPrincipals.OrdersInvoker, "GET", target);

        Assert.Equal(403, response.Status);
        Assert.EndsWith("/prod/GET/orders", Message(response));
    }

    [Theory]
    [InlineData("/prod/orders/7", "/prod/orders/7", "orders/7")]
    [InlineData("/prod/orders//7/", "/prod/orders/7", "orders/7")]
    [InlineData("/prod/./orders/%37", "/prod/orders/7", "orders/7")]
    [InlineData("/prod/a%20b/./c%2Fd", "/prod/a%20b/c/d", "a b/c/d")]
    [InlineData("/prod/caf%c3%a9", "/prod/caf%C3%A9", "café")]
    public async Task The_function_gets_the_canonical_path_that_was_routed_and_authorized(string target, string rawPath, string proxy)
    {
        var response = await RawHttp.SendSignedAsync(gateway.TestApi, TestPrincipals.Invoker, "GET", target);

        Assert.Equal(200, response.Status);
        using var @event = JsonDocument.Parse(response.Body);
        Assert.Equal(rawPath, @event.RootElement.GetProperty("rawPath").GetString());
        Assert.Equal(rawPath, @event.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal(proxy, @event.RootElement.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal("ANY /{proxy+}", @event.RootElement.GetProperty("routeKey").GetString());
    }

    [Theory]
    [InlineData("/prod/orders/%zz")]
    [InlineData("/prod/orders/%4")]
    [InlineData("/prod/orders/4%")]
    [InlineData("/prod/%C3%28")]
    [InlineData("/prod/a%00b")]
    [InlineData("/prod/a%0Ab")]
    public async Task A_path_that_does_not_decode_is_400_and_reaches_no_function(string target)
    {
        var before = gateway.Echoes.Events.Count;

        var response = await RawHttp.SendSignedAsync(gateway.TestApi, TestPrincipals.Invoker, "GET", target);

        Assert.Equal(400, response.Status);
        Assert.Equal(before, gateway.Echoes.Events.Count);
    }

    private static string Message(RawHttp.Response response)
    {
        using var body = JsonDocument.Parse(response.Body);
        return body.RootElement.GetProperty("message").GetString()!;
    }
}
