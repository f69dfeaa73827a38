using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// Generated requests at the HTTP API gateway: signed ones with any method, path, query, headers and body reach the
/// function as sent (the path in its canonical form) or get API Gateway's own JSON error, never a 5xx; raw request lines with any target
/// get a client error or an answer, and the gateway goes on serving.
/// </summary>
public sealed class GatewayPropertyTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    private const int Samples = 150;

    // Never the scripted function's failure paths (…/fail, …/stall…, …/plain, …/garbage): those fail on purpose.
    private static readonly Gen<string> Segment = Gen.Frequency(
        (4, Gen.String[0, 12]),
        (2, Gen.OneOf("orders", "42", "a b", "é🔑", "~", "+", "%", "%2F", "%00", "..", ".", "*", "$", "=", "&", ";", "{proxy+}", "$default")));

    private static readonly Gen<string> Token = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-_"].Array[1, 12].Select(c => new string(c));

    [Fact]
    public async Task A_signed_request_of_any_shape_reaches_the_function_as_sent_or_gets_a_JSON_client_error()
    {
        using var client = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        var requests = Gen.Select(
            Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
            Gen.Frequency((5, Gen.Const("prod")), (1, Segment)),
            Segment.Array[0, 4],
            Gen.Select(Segment, Segment).Array[0, 4],
            Gen.Select(Gen.Select(Token, Gen.Char.AlphaNumeric.Array[0, 30]), Gen.String[0, 200]));

        await requests.SampleAsync(async (method, stage, segments, query, extra) =>
        {
            var (header, body) = extra;
            var uri = new UriBuilder(gateway.TestApi)
            {
                Path = "/" + string.Join('/', new[] { stage }.Concat(segments).Select(Uri.EscapeDataString)),
                Query = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Item1)}={Uri.EscapeDataString(q.Item2)}")),
            }.Uri;
            using var request = new HttpRequestMessage(new HttpMethod(method), uri);
            request.Headers.TryAddWithoutValidation("x-" + header.Item1, new string(header.Item2));
            if (method is not ("GET" or "OPTIONS"))
            {
                request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
            }

            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {text}");
            using var json = JsonDocument.Parse(text);
            if (response.StatusCode == HttpStatusCode.OK && json.RootElement.TryGetProperty("rawPath", out var rawPath))
            {
                Assert.Equal(RequestPath.Parse(uri.AbsolutePath)!.Value, rawPath.GetString());
                Assert.Equal(uri.Query.TrimStart('?'), json.RootElement.GetProperty("rawQueryString").GetString());
                Assert.Equal(method, json.RootElement.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
            }
            else
            {
                Assert.Equal(JsonValueKind.String, json.RootElement.GetProperty("message").ValueKind);
            }
        }, iter: Samples, threads: 1, print: sample => sample.ToString());
    }

    [Fact]
    public async Task A_raw_request_line_with_any_target_gets_a_client_error_or_an_answer_and_the_gateway_goes_on()
    {
        var printable = Gen.Char[(char)0x21, (char)0x7E];
        var targets = Gen.Frequency(
            (3, Segment.Array[0, 5].Select(s => "/prod/" + string.Join('/', s))),
            (2, printable.Array[0, 60].Select(c => new string(c))),
            (1, Gen.OneOf("*", "//", "/prod/../../etc/passwd", "/prod/%2e%2e/", "http://evil.example/prod/x", "/prod?%", "/prod/%zz", "/%E9%F0")));
        var requests = Gen.Select(Gen.OneOf("GET", "POST", "DELETE", "BREW", "get"), targets, Gen.Select(Token, printable.Array[0, 30]).Array[0, 3]);

        await requests.SampleAsync(async (method, target, headers) =>
        {
            var request = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: {gateway.TestApi.Authority}\r\n");
            foreach (var (name, value) in headers)
            {
                request.Append($"x-{name}: {new string(value)}\r\n");
            }

            var line = await RawHttp.SendAsync(gateway.TestApi, request.Append("Connection: close\r\n\r\n").ToString());
            var status = line.Split(' ') is [_, var code, ..] && int.TryParse(code, out var parsed) ? parsed : throw new InvalidOperationException($"No status line: '{line}'");

            Assert.True(status is >= 200 and < 500, $"{method} {target} answered {status}");
        }, iter: Samples, threads: 1, print: sample => sample.ToString());

        using var health = GatewayFixture.Client(gateway.TestApi, TestPrincipals.Invoker);
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/prod/still-serving", TestContext.Current.CancellationToken)).StatusCode);
    }
}
