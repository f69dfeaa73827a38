using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>The gateway's small parts on their own: the execute-api ARN, stages, the token bucket, CORS.</summary>
public sealed class GatewayPartsTests
{
    [Theory]
    [InlineData("prod", "GET", "/orders/42", "arn:aws:execute-api:us-east-1:000000000000:a1b2c3/prod/GET/orders/42")]
    [InlineData("prod", "post", "/", "arn:aws:execute-api:us-east-1:000000000000:a1b2c3/prod/POST/")]
    [InlineData("$default", "DELETE", "/a/b", "arn:aws:execute-api:us-east-1:000000000000:a1b2c3/$default/DELETE/a/b")]
    public void The_invoke_ARN_names_the_stage_the_requests_own_method_and_its_path_after_the_stage(string stage, string method, string path, string arn) =>
        Assert.Equal(arn, ExecuteApiArn.For("us-east-1", "000000000000", "a1b2c3", stage, method, path));

    [Theory]
    [InlineData("prod", "/prod/orders", "/orders")]
    [InlineData("prod", "/prod", "/")]
    [InlineData("prod", "/prod/", "/")]
    [InlineData("prod", "/production/orders", null)]
    [InlineData("prod", "/dev/orders", null)]
    [InlineData("$default", "/prod/orders", "/prod/orders")]
    public void A_path_belongs_to_the_stage_only_under_its_name(string stage, string path, string? inStage)
    {
        var api = new HttpApi("api", "a1b2c3", new Uri("http://localhost:4000"), stage, new RouteTable([]), null, null, AccessLogFormat.Parse(""), "000000000000", "us-east-1");

        Assert.Equal(inStage, api.PathInStage(RequestPath.Parse(path)!)?.Value);
    }

    [Fact]
    public void The_bucket_admits_its_burst_at_once_then_refills_at_the_rate_up_to_the_burst()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(rate: 50, burst: 100, clock);

        Assert.Equal(100, Enumerable.Range(0, 150).Count(_ => bucket.TryTake()));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => bucket.TryTake()));
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.False(bucket.TryTake());
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.True(bucket.TryTake());
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(100, Enumerable.Range(0, 150).Count(_ => bucket.TryTake()));
    }

    [Fact]
    public void A_bucket_with_no_burst_admits_nothing() =>
        Assert.False(new TokenBucket(rate: 10, burst: 0, new FakeTimeProvider()).TryTake());

    [Fact]
    public void A_preflight_from_an_allowed_origin_gets_the_configured_allowances()
    {
        var cors = new CorsPolicy(["https://app.example"], ["GET", "POST"], ["authorization", "x-amz-date"], ["x-id"], allowCredentials: true, maxAge: 300);
        var context = Preflight("https://app.example");

        Assert.True(CorsPolicy.IsPreflight(context.Request));
        cors.WritePreflight(context.Request, context.Response);

        Assert.Equal(204, context.Response.StatusCode);
        Assert.Equal("https://app.example", context.Response.Headers.AccessControlAllowOrigin);
        Assert.Equal("GET,POST", context.Response.Headers.AccessControlAllowMethods);
        Assert.Equal("authorization,x-amz-date", context.Response.Headers.AccessControlAllowHeaders);
        Assert.Equal("300", context.Response.Headers.AccessControlMaxAge);
        Assert.Equal("true", context.Response.Headers.AccessControlAllowCredentials);
    }

    [Fact]
    public void A_preflight_from_another_origin_gets_no_allowances_and_wildcards_echo_the_request()
    {
        var strict = new CorsPolicy(["https://app.example"], ["GET"], ["authorization"], [], allowCredentials: false, maxAge: null);
        var other = Preflight("https://evil.example");
        strict.WritePreflight(other.Request, other.Response);
        Assert.Equal(204, other.Response.StatusCode);
        Assert.False(other.Response.Headers.ContainsKey("Access-Control-Allow-Origin"));

        var open = new CorsPolicy(["*"], ["*"], ["*"], [], allowCredentials: false, maxAge: null);
        var any = Preflight("https://evil.example");
        open.WritePreflight(any.Request, any.Response);
        Assert.Equal("*", any.Response.Headers.AccessControlAllowOrigin);
        Assert.Equal("DELETE", any.Response.Headers.AccessControlAllowMethods);
        Assert.Equal("x-amz-date,authorization", any.Response.Headers.AccessControlAllowHeaders);
    }

    [Fact]
    public void Only_an_OPTIONS_request_with_an_origin_and_a_requested_method_is_a_preflight()
    {
        var plain = new DefaultHttpContext();
        plain.Request.Method = "OPTIONS";
        plain.Request.Headers.Origin = "https://app.example";

        Assert.False(CorsPolicy.IsPreflight(plain.Request));
    }

    [Fact]
    public void The_functions_CORS_headers_are_replaced_by_the_configured_ones()
    {
        var cors = new CorsPolicy(["https://app.example"], ["GET"], [], ["x-id"], allowCredentials: false, maxAge: null);
        var context = new DefaultHttpContext();
        context.Request.Headers.Origin = "https://app.example";
        IHeaderDictionary headers = new HeaderDictionary { ["Access-Control-Allow-Origin"] = "*", ["access-control-allow-credentials"] = "true", ["x-id"] = "1" };

        cors.Apply(context.Request, headers);

        Assert.Equal("https://app.example", headers.AccessControlAllowOrigin);
        Assert.Equal("x-id", headers.AccessControlExposeHeaders);
        Assert.False(headers.ContainsKey("Access-Control-Allow-Credentials"));
        Assert.Equal("1", headers["x-id"]);
    }

    private static DefaultHttpContext Preflight(string origin)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "OPTIONS";
        context.Request.Headers.Origin = origin;
        context.Request.Headers.AccessControlRequestMethod = "DELETE";
        context.Request.Headers.AccessControlRequestHeaders = "x-amz-date,authorization";
        return context;
    }
}
