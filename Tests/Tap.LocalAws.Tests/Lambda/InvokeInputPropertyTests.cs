using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using CsCheck;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Generated Invoke input: any payload bytes are either a valid UTF-8 JSON document, which the function gets byte
/// for byte, or <c>InvalidRequestContentException</c> with nothing queued; and a function named by an ARN of another
/// region or account is <c>ResourceNotFoundException</c>, however the ARN is written, never the local function.
/// </summary>
public sealed class InvokeInputPropertyTests
{
    [Fact]
    public async Task Any_payload_is_delivered_exactly_when_it_is_UTF8_JSON_and_otherwise_refused_as_Lambda_refuses_it()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("bytes", timeout: 30));
        using var environment = host.Environment("bytes");
        var json = Gen.OneOf(Gen.String[0, 30].Select(s => JsonSerializer.Serialize(s)), Gen.Int.Select(i => $"{{\"n\":{i}}}"), Gen.Const("[1,\"é🔑\",null]"));
        var payloads = Gen.Frequency(
            (3, json.Select(Encoding.UTF8.GetBytes)),
            (2, Gen.Byte.Array[1, 40]),
            (2, json.Select(t => Encoding.UTF8.GetBytes(t)).SelectMany(bytes => Gen.Int[0, bytes.Length].Select(at => bytes[..at].Concat(new byte[] { 0xC3 }).Concat(bytes[at..]).ToArray()))),
            (1, Gen.Const(new byte[] { 0x22, 0xFF, 0xFE, 0x22 })));

        await payloads.SampleAsync(async payload =>
        {
            var valid = Utf8.IsValid(payload) && IsJson(payload);
            var next = valid ? environment.NextAsync(TestContext.Current.CancellationToken) : null;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/bytes/invocations") { Content = new ByteArrayContent(payload) };
            var invoke = host.SendAsync(request, TestPrincipals.Admin);
            if (next is not null)
            {
                var @event = await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
                Assert.Equal(Encoding.UTF8.GetString(payload), @event.Body);
                await environment.RespondAsync(@event.RequestId, "{}");
            }

            using var response = await invoke;
            if (valid)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                Assert.Equal("InvalidRequestContentException", response.Headers.GetValues("x-amzn-ErrorType").Single());
            }
        }, iter: 200, threads: 1, print: payload => Convert.ToHexString(payload));

        using var health = await new HttpClient().GetAsync(new Uri(host.Endpoint, "/health/functions/bytes"), TestContext.Current.CancellationToken);
        Assert.Contains("\"queuedInvocations\":0", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_ARN_of_another_region_or_account_is_not_found_and_the_local_one_is_never_invoked()
    {
        await using var host = LambdaTestHost.Start(queueTimeoutSeconds: 1, LambdaTestHost.Function("here"));
        var regions = Gen.OneOf("us-east-1", "eu-west-1", "us-gov-west-1", "ap-southeast-2");
        var accounts = Gen.OneOf(TestPrincipals.AccountId, "123456789012", "999999999999");
        var names = Gen.Select(regions, accounts, Gen.Int[0, 2]).Where(n => (n.Item1, n.Item2) != ("us-east-1", TestPrincipals.AccountId));

        await names.SampleAsync(async (region, account, form) =>
        {
            var named = form switch
            {
                0 => $"arn:aws:lambda:{region}:{account}:function:here",
                1 => $"arn:aws:lambda:{region}:{account}:function:here:$LATEST",
                _ => $"{region}:{account}:function:here",
            };

            using var response = await host.InvokeAsync(Uri.EscapeDataString(named), "{}");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("ResourceNotFoundException", response.Headers.GetValues("x-amzn-ErrorType").Single());
            Assert.Contains($"arn:aws:lambda:{region}:{account}:function:here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }, iter: 40, threads: 1, print: sample => sample.ToString());

        using var local = await host.InvokeAsync(Uri.EscapeDataString($"arn:aws:lambda:us-east-1:{TestPrincipals.AccountId}:function:here"), "{}");
        Assert.Equal(HttpStatusCode.BadGateway, local.StatusCode);
    }

    private static bool IsJson(byte[] payload)
    {
        try
        {
            using var _ = JsonDocument.Parse(payload);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
