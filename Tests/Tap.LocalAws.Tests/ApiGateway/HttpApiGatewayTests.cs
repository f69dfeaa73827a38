using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Tap.Aws.Signing;
using Tap.Definition;
using Tap.LocalAws.ApiGateway;
using Tap.Testing;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// The HTTP API gateway as a caller meets it, over real sockets: SigV4 and IAM at the door, the payload 2.0 event the
/// function gets, the answers API Gateway gives itself, limits, throttling and CORS.
/// </summary>
public sealed class HttpApiGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private static readonly string InvokerArn = $"arn:aws:iam::{TestPrincipals.AccountId}:user/invoker";

    [Fact]
    public async Task A_signed_request_reaches_the_function_as_payload_2_0_and_its_answer_comes_back()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/prod/orders/42?expand=items&tag=a&tag=b") { Content = new StringContent("""{"qty":2}""") };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("Cookie", "c1=v1; c2=v2");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("apigw-requestid").Single();
        Assert.Equal("1", response.Headers.GetValues("x-echo").Single());
        Assert.Equal(["session=abc; Path=/", "theme=dark"], response.Headers.GetValues("Set-Cookie"));
        var @event = await GatewayFixture.EventOf(response);
        Assert.Equal("2.0", @event.GetProperty("version").GetString());
        Assert.Equal("ANY /{proxy+}", @event.GetProperty("routeKey").GetString());
        Assert.Equal("/prod/orders/42", @event.GetProperty("rawPath").GetString());
        Assert.Equal("expand=items&tag=a&tag=b", @event.GetProperty("rawQueryString").GetString());
        Assert.Equal("a,b", @event.GetProperty("queryStringParameters").GetProperty("tag").GetString());
        Assert.Equal("orders/42", @event.GetProperty("pathParameters").GetProperty("proxy").GetString());
        Assert.Equal(["c1=v1", "c2=v2"], @event.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(@event.GetProperty("headers").TryGetProperty("cookie", out _));
        Assert.Equal("""{"qty":2}""", @event.GetProperty("body").GetString());
        Assert.False(@event.GetProperty("isBase64Encoded").GetBoolean());
        var context = @event.GetProperty("requestContext");
        Assert.Equal(requestId, context.GetProperty("requestId").GetString());
        Assert.Equal("prod", context.GetProperty("stage").GetString());
        Assert.Equal("POST", context.GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("127.0.0.1", context.GetProperty("http").GetProperty("sourceIp").GetString());
        var iam = context.GetProperty("authorizer").GetProperty("iam");
        Assert.Equal(InvokerArn, iam.GetProperty("userArn").GetString());
        Assert.Equal(TestPrincipals.Invoker.AccessKey, iam.GetProperty("accessKey").GetString());
        Assert.StartsWith("AIDA", iam.GetProperty("userId").GetString(), StringComparison.Ordinal);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", @event.GetProperty("headers").GetProperty("traceparent").GetString());
    }

    [Fact]
    public async Task The_stage_root_takes_ANY_slash_and_everything_below_takes_the_greedy_route()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);

        foreach (var (path, routeKey) in new[] { ("/prod", "ANY /"), ("/prod/", "ANY /"), ("/prod/a/b/c", "ANY /{proxy+}") })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(routeKey, (await GatewayFixture.EventOf(response)).GetProperty("routeKey").GetString());
        }
    }

    [Fact]
    public async Task Temporary_credentials_from_LocalAws_STS_are_admitted_as_the_assumed_role()
    {
        var session = await gateway.AssumeInvokerRoleAsync("browser");
        using var client = GatewayFixture.Client(gateway.TestApi, session);

        using var response = await client.GetAsync(new Uri("/prod/orders", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var iam = (await GatewayFixture.EventOf(response)).GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam");
        Assert.Equal($"arn:aws:sts::{TestPrincipals.AccountId}:assumed-role/{TapApplication.Invoker.RoleName}/browser", iam.GetProperty("userArn").GetString());
    }

    [Fact]
    public async Task A_presigned_URL_is_admitted_and_its_signature_and_token_never_reach_a_log()
    {
        var session = await gateway.AssumeInvokerRoleAsync("presigned");
        var url = new SigV4Signer(TimeProvider.System).Presign(HttpMethod.Get, new Uri(gateway.TestApi, "/prod/reports"), session, "us-east-1", "execute-api", TimeSpan.FromMinutes(5));
        using var http = new HttpClient();

        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await gateway.AccessLogAsync("test-api", response.Headers.GetValues("apigw-requestid").Single());
        var signature = System.Web.HttpUtility.ParseQueryString(url.Query)["X-Amz-Signature"]!;
        Assert.All(gateway.Host.Factory.Logs.GetSnapshot(), record =>
        {
            Assert.DoesNotContain(signature, record.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(session.Token, record.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Callers_who_fail_SigV4_or_IAM_get_403_in_API_Gateways_words_and_the_function_is_never_invoked()
    {
        var before = gateway.Echoes.Events.Count;
        var wrongSecret = new ImmutableCredentials(TestPrincipals.Invoker.AccessKey, "wrong" + TestPrincipals.Invoker.SecretKey[5..], null);
        var tenMinutesAgo = new ShiftedClock(TimeSpan.FromMinutes(-10));

        var cases = new (ImmutableCredentials? Credentials, TimeProvider? Clock, string Path, string ErrorType, string Message)[]
        {
            (null, null, "/prod/orders", "ForbiddenException", "Forbidden"),
            (wrongSecret, null, "/prod/orders", "InvalidSignatureException", "The request signature we calculated does not match"),
            (TestCredentials.New(), null, "/prod/orders", "UnrecognizedClientException", "The security token included in the request is invalid."),
            (TestPrincipals.Invoker, tenMinutesAgo, "/prod/orders", "InvalidSignatureException", "Signature expired"),
            (TestPrincipals.Reader, null, "/prod/orders", "AccessDeniedException",
                $"User: arn:aws:iam::{TestPrincipals.AccountId}:user/reader is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:{TestPrincipals.AccountId}:"),
            (TestPrincipals.Invoker, null, "/prod/private/keys", "AccessDeniedException", "/prod/GET/private/keys with an explicit deny"),
        };

        foreach (var (credentials, clock, path, errorType, message) in cases)
        {
            using var client = GatewayFixture.Client(gateway.TestApi, credentials, clock);
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(errorType, response.Headers.GetValues("x-amzn-ErrorType").Single());
            Assert.Contains(message, JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Single(response.Headers.GetValues("apigw-requestid"));
        }

        Assert.Equal(before, gateway.Echoes.Events.Count);
    }

    [Fact]
    public async Task A_NONE_route_admits_anyone_and_tells_the_function_no_caller()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, credentials: null);

        using var response = await client.GetAsync(new Uri("/prod/open", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var @event = await GatewayFixture.EventOf(response);
        Assert.Equal("GET /open", @event.GetProperty("routeKey").GetString());
        Assert.False(@event.GetProperty("requestContext").TryGetProperty("authorizer", out _));
    }

    [Theory]
    [InlineData("/prod/orders/fail", HttpStatusCode.InternalServerError, "Internal Server Error")]
    [InlineData("/prod/orders/garbage", HttpStatusCode.InternalServerError, "Internal Server Error")]
    [InlineData("/prod/stall/long", HttpStatusCode.InternalServerError, "Internal Server Error")]
    [InlineData("/prod/stall/short", HttpStatusCode.ServiceUnavailable, "Service Unavailable")]
    [InlineData("/dev/orders", HttpStatusCode.NotFound, "Not Found")]
    public async Task Function_failures_timeouts_and_unknown_stages_get_API_Gateways_own_answers(string path, HttpStatusCode status, string message)
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        var watch = Stopwatch.StartNew();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal($$"""{"message":"{{message}}"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Single(response.Headers.GetValues("apigw-requestid"));
        if (status == HttpStatusCode.ServiceUnavailable)
        {
            // The gateway waited out the route's integration timeout (300 ms); the function's own (1 s) would be a 500.
            Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"answered after {watch.Elapsed}");
        }
    }

    [Fact]
    public async Task Bare_JSON_from_the_function_is_the_inferred_response()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);

        using var response = await client.GetAsync(new Uri("/prod/orders/plain", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("""{"message":"inferred"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_request_no_route_matches_is_404_before_any_authentication()
    {
        using var client = GatewayFixture.Client(gateway.NarrowApi, credentials: null);

        using var unknown = await client.GetAsync(new Uri("/orders/1", UriKind.Relative), TestContext.Current.CancellationToken);
        using var known = await client.GetAsync(new Uri("/items/7", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        var @event = await GatewayFixture.EventOf(known);
        Assert.Equal("7", @event.GetProperty("pathParameters").GetProperty("id").GetString());
        Assert.Equal("$default", @event.GetProperty("requestContext").GetProperty("stage").GetString());
    }

    [Fact]
    public async Task Bodies_over_10_MB_and_events_over_Lambdas_6_MB_are_413()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);

        foreach (var size in new[] { (10 * 1024 * 1024) + 1, 7 * 1024 * 1024 })
        {
            using var content = new ByteArrayContent(new byte[size]);
            content.Headers.ContentType = new("text/plain");
            using var response = await client.PostAsync(new Uri("/prod/upload", UriKind.Relative), content, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("""{"message":"Request Entity Too Large"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Headers_or_a_request_line_over_the_HTTP_API_quota_are_refused_before_the_gateway_reads_them()
    {
        using var unsigned = GatewayFixture.Client(gateway.TestApi, credentials: null);
        var quota = HttpApiGateway.MaxRequestLineAndHeaderBytes;

        using var within = new HttpRequestMessage(HttpMethod.Get, "/prod/orders") { Headers = { { "x-big", new string('a', quota - 1024) } } };
        using var overHeaders = new HttpRequestMessage(HttpMethod.Get, "/prod/orders") { Headers = { { "x-big", new string('a', quota + 1) } } };
        using var overLine = new HttpRequestMessage(HttpMethod.Get, "/prod/orders?q=" + new string('a', quota + 1));

        Assert.Equal(HttpStatusCode.Forbidden, (await unsigned.SendAsync(within, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await unsigned.SendAsync(overHeaders, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await unsigned.SendAsync(overLine, TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_simultaneous_burst_over_the_stage_limit_gets_only_200s_and_429s_within_the_bucket()
    {
        const int sent = 40;
        using var client = GatewayFixture.Client(gateway.ThrottledApi, credentials: null);
        var watch = Stopwatch.StartNew();

        var responses = await Task.WhenAll(Enumerable.Range(0, sent).Select(i => client.GetAsync(new Uri($"/prod/burst/{i}", UriKind.Relative))));
        var elapsed = watch.Elapsed;

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Array.ForEach(responses, r => r.Dispose());
        Assert.All(statuses, s => Assert.Contains(s, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]));
        var admitted = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(sent, admitted + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.InRange(admitted, GatewayFixture.BurstLimit, GatewayFixture.BurstLimit + (int)Math.Ceiling(GatewayFixture.RateLimit * elapsed.TotalSeconds));
    }

    [Fact]
    public async Task A_CORS_preflight_is_answered_by_the_gateway_unsigned_and_responses_carry_only_the_configured_CORS_headers()
    {
        var before = gateway.Echoes.Events.Count;
        using var unsigned = GatewayFixture.Client(gateway.TestApi, credentials: null);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/prod/orders");
        preflight.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-amz-date,x-amz-security-token");

        using var answer = await unsigned.SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET,POST", answer.Headers.GetValues("Access-Control-Allow-Methods").Single());
        var allowed = answer.Headers.GetValues("Access-Control-Allow-Headers").Single().Split(',');
        Assert.Superset(new HashSet<string> { "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256" }, new HashSet<string>(allowed));
        Assert.Equal("600", answer.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Equal(before, gateway.Echoes.Events.Count);

        using var signed = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/prod/orders");
        request.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        using var response = await signed.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("x-echo", response.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task Each_request_writes_one_access_log_line_in_the_definitions_format()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        using var response = await client.GetAsync(new Uri("/prod/orders/99", UriKind.Relative), TestContext.Current.CancellationToken);
        var requestId = response.Headers.GetValues("apigw-requestid").Single();

        var line = await gateway.AccessLogAsync("test-api", requestId);

        using var entry = JsonDocument.Parse(line);
        Assert.Equal(TapApplication.HttpApi.AccessLogFields.Select(f => f.Key), entry.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("200", entry.RootElement.GetProperty("status").GetString());
        Assert.Equal("ANY /{proxy+}", entry.RootElement.GetProperty("routeKey").GetString());
        Assert.Equal(InvokerArn, entry.RootElement.GetProperty("userArn").GetString());
        Assert.Equal("GET", entry.RootElement.GetProperty("httpMethod").GetString());
        Assert.Matches("^[0-9]+$", entry.RootElement.GetProperty("integrationLatency").GetString());
        Assert.Equal(response.Content.Headers.ContentLength.ToString(), entry.RootElement.GetProperty("responseLength").GetString());
    }

    [Fact]
    public async Task One_gateway_span_per_request_is_the_parent_of_the_invocation_span_the_function_continues()
    {
        using var spans = new SpanRecorder("Tap.LocalAws.HttpApi.test-api");
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);

        using var response = await client.GetAsync(new Uri("/prod/traced", UriKind.Relative), TestContext.Current.CancellationToken);
        var requestId = response.Headers.GetValues("apigw-requestid").Single();
        var traceparent = (await GatewayFixture.EventOf(response)).GetProperty("headers").GetProperty("traceparent").GetString()!;

        var server = Assert.Single(await spans.WaitForAsync(s => s.Kind == ActivityKind.Server && (string?)s.GetTagItem("aws.request_id") == requestId));
        var invocation = Assert.Single(spans.Spans, s => s.ParentSpanId == server.SpanId);

        // Named as OpenTelemetry names an HTTP server span.
        Assert.Equal("GET /{proxy+}", server.DisplayName);
        Assert.Equal("/{proxy+}", server.GetTagItem("http.route"));
        Assert.Equal("ANY /{proxy+}", server.GetTagItem("aws.api_gateway.route_key"));
        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:user/invoker", server.GetTagItem("aws.principal.arn"));
        Assert.Equal(200, server.GetTagItem("http.response.status_code"));
        Assert.Equal(false, server.GetTagItem("aws.api_gateway.throttled"));
        Assert.Equal("Lambda.Invoke", invocation.DisplayName);
        Assert.Equal(invocation.Id, traceparent);
    }

    [Fact]
    public async Task The_gateway_span_is_the_callers_child_with_no_span_of_the_listener_between()
    {
        using var spans = new SpanRecorder("Tap.LocalAws.HttpApi.test-api");
        var (trace, caller) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        // Bytes on a socket: no client adds a span of its own between the caller's and the gateway's.
        var status = await RawHttp.SendAsync(gateway.TestApi,
            $"GET /prod/open HTTP/1.1\r\nHost: {gateway.TestApi.Authority}\r\ntraceparent: 00-{trace}-{caller}-01\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", status, StringComparison.Ordinal);
        var server = Assert.Single(await spans.WaitForAsync(s => s.Kind == ActivityKind.Server && s.TraceId == trace));
        Assert.Equal(caller, server.ParentSpanId);
        Assert.Equal("GET /open", server.DisplayName);
    }

    /// <summary>A clock offset from now, to sign as a client whose clock is wrong.</summary>
    private sealed class ShiftedClock(TimeSpan offset) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
    }
}
