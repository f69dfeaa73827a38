using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>The payload 2.0 event the gateway builds, against a golden event in the shape of AWS's documented ones.</summary>
public sealed class HttpApiEventTests
{
    private static readonly HttpApi Api = new("api", "abc123", new Uri("http://localhost:4000"), "prod", new RouteTable([]), null, null, AccessLogFormat.Parse(""),
        "000000000000", "us-east-1");

    private static readonly HttpRoute Proxy = new(RouteKey.Parse("ANY /{proxy+}"), "fn", RequiresIam: true, TimeSpan.FromSeconds(30));

    [Fact]
    public void A_signed_GET_maps_to_the_golden_event_field_for_field()
    {
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = "GET";
        request.Scheme = "https";
        request.Protocol = "HTTP/1.1";
        request.Host = new HostString("abc123.execute-api.us-east-1.amazonaws.com");
        request.Path = "/prod/orders/42";
        request.QueryString = new QueryString("?expand=items&note=a%20b");
        request.Headers.Accept = "application/json";
        request.ContentLength = 0;
        request.Headers.UserAgent = "curl/7.88.1";
        request.Headers["X-Amz-Date"] = "20261128T000000Z";
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        var principal = new IamPrincipal("invoker", "arn:aws:iam::000000000000:user/invoker", "AKIAIOSFODNN7EXAMPLE", "secret", [], null, 3600);
        var caller = new CallerIdentity(principal.Arn, "000000000000", "AIDACKCEVSQ6C2EXAMPLE", principal);
        var match = new RouteMatch(Proxy, new Dictionary<string, string> { ["proxy"] = "orders/42" });

        var built = HttpApiEvent.Build(request, [], new HttpApiEvent.Context(Api, RequestPath.Parse(request.Path)!, RequestPath.RawTarget(request).Query, request.Host.Host, match, "Lx2Z5iCuIAMEJUA=",
            DateTimeOffset.Parse("2026-11-28T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), caller, "AKIAIOSFODNN7EXAMPLE"));

        var actual = JsonNode.Parse(JsonSerializer.Serialize(built, GatewayJsonContext.Default.APIGatewayHttpApiV2ProxyRequest))!;
        var golden = WithoutNulls(JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ApiGateway", "Events", "http-api-v2-iam-stage.json")))!);
        Assert.True(JsonNode.DeepEquals(golden, actual), $"expected {golden.ToJsonString()}\nactual   {actual.ToJsonString()}");
    }

    [Fact]
    public void Repeated_headers_and_query_parameters_are_comma_joined_and_cookies_move_to_their_own_field()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 4000);
        context.Request.Path = "/prod/x";
        context.Request.QueryString = new QueryString("?a=1&a=2");
        context.Request.Headers["X-Multi"] = new(["one", "two"]);
        context.Request.Headers.Cookie = "a=1; b=2";

        var built = HttpApiEvent.Build(context.Request, [], Context(context));

        Assert.Equal("1,2", built.QueryStringParameters!["a"]);
        Assert.Equal("one,two", built.Headers!["x-multi"]);
        Assert.Equal(["a=1", "b=2"], built.Cookies!);
        Assert.False(built.Headers.ContainsKey("cookie"));
        Assert.Equal("localhost", built.RequestContext!.DomainName);
        Assert.Equal("4000", built.Headers["x-forwarded-port"]);
        Assert.Equal("http", built.Headers["x-forwarded-proto"]);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", false)]
    [InlineData("text/plain", false)]
    [InlineData("application/x-www-form-urlencoded", false)]
    [InlineData("application/octet-stream", true)]
    [InlineData("image/png", true)]
    [InlineData(null, true)]
    public void Text_bodies_travel_as_text_and_any_other_body_as_base64(string? contentType, bool base64)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/prod/x";
        context.Request.ContentType = contentType;
        var body = Encoding.UTF8.GetBytes("héllo");

        var built = HttpApiEvent.Build(context.Request, body, Context(context));

        Assert.Equal(base64, built.IsBase64Encoded);
        Assert.Equal(base64 ? Convert.ToBase64String(body) : "héllo", built.Body);
    }

    private static HttpApiEvent.Context Context(HttpContext context) =>
        new(Api, RequestPath.Parse(context.Request.Path)!, RequestPath.RawTarget(context.Request).Query, context.Request.Host.Host, new RouteMatch(Proxy, new Dictionary<string, string> { ["proxy"] = "x" }), "id",
            DateTimeOffset.UnixEpoch, null, null);

    private static JsonNode WithoutNulls(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            foreach (var (name, value) in obj.ToList())
            {
                if (value is null)
                {
                    obj.Remove(name);
                }
                else
                {
                    WithoutNulls(value);
                }
            }
        }

        return node;
    }
}
