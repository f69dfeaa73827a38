using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>The canonical form of a request path: one for every spelling of the same resource, none for what does not decode.</summary>
public sealed class RequestPathTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("/orders/42", "/orders/42")]
    [InlineData("/orders/42/", "/orders/42")]
    [InlineData("//orders///42//", "/orders/42")]
    [InlineData("/orders/./42/.", "/orders/42")]
    [InlineData("/orders/x/../42", "/orders/42")]
    [InlineData("/../../orders/42", "/orders/42")]
    [InlineData("/orders/%2E%2E/%2e", "/")]
    [InlineData("/orders%2F42", "/orders/42")]
    [InlineData("/%6f%72ders/%34%32", "/orders/42")]
    [InlineData("/Orders/42", "/Orders/42")]
    [InlineData("/a%20b/c+d", "/a%20b/c+d")]
    [InlineData("/100%25", "/100%25")]
    [InlineData("/caf%c3%a9", "/caf%C3%A9")]
    [InlineData("/café", "/caf%C3%A9")]
    [InlineData("/a:b@c!$&'()*,;=~_-", "/a:b@c!$&'()*,;=~_-")]
    [InlineData("/a%3Fb%23c", "/a%3Fb%23c")]
    public void Every_spelling_of_a_path_has_one_canonical_form(string raw, string canonical) =>
        Assert.Equal(canonical, RequestPath.Parse(raw)!.Value);

    [Fact]
    public void Segments_are_decoded_and_the_canonical_form_parses_to_itself()
    {
        var path = RequestPath.Parse("/a%20b/100%25/caf%C3%A9")!;

        Assert.Equal(["a b", "100%", "café"], path.Segments);
        Assert.Equal(path.Value, RequestPath.Parse(path.Value)!.Value);
        Assert.Equal(path.Segments, RequestPath.Parse(path.Value)!.Segments);
    }

    [Theory]
    [InlineData("/%")]
    [InlineData("/%4")]
    [InlineData("/%zz")]
    [InlineData("/%C3%28")]
    [InlineData("/%FF")]
    [InlineData("/a%00b")]
    [InlineData("/a%0Db")]
    [InlineData("/a%7Fb")]
    public void A_path_that_does_not_decode_has_no_canonical_form(string raw) =>
        Assert.Null(RequestPath.Parse(raw));

    [Theory]
    [InlineData("/prod/orders", "/orders")]
    [InlineData("/prod", "/")]
    [InlineData("/production", null)]
    [InlineData("/Prod/orders", null)]
    [InlineData("/", null)]
    public void After_strips_a_first_segment_of_exactly_that_name(string raw, string? after) =>
        Assert.Equal(after, RequestPath.Parse(raw)!.After("prod")?.Value);
}
