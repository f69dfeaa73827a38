using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Generated calls to the Runtime API (any function name, request id, path, error type header and body, including
/// the id of an invocation that is waiting): never a 5xx, every error in the Runtime API's
/// <c>{"errorMessage","errorType"}</c> shape, and the function still serves its next invocation.
/// </summary>
public sealed class RuntimeApiPropertyTests
{
    // A function or a call named "." or ".." is a dot segment the client removes: the call is then not a Runtime API path at all.
    private static bool NotADotSegment(string segment) => segment is not ("." or "..");

    [Fact]
    public async Task Any_call_gets_an_answer_or_a_Runtime_API_error_and_the_function_still_serves()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("echo", timeout: 30));
        using var environment = host.Environment("echo");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var pending = host.InvokeAsync("echo", """{"n":1}""");
        var waiting = (await next).RequestId;

        using var http = new HttpClient { BaseAddress = host.Endpoint, Timeout = TimeSpan.FromSeconds(10) };
        var text = Gen.Frequency((3, Gen.String[0, 20]), (1, Gen.OneOf("", "..", "%2F", "%00", "é🔑", "next", "a b")));
        var requestId = Gen.Frequency((3, text), (1, Gen.Const(waiting)), (1, Gen.Guid.Select(g => g.ToString())));
        var path = Gen.Frequency(
            (3, requestId.Select(id => $"invocation/{Uri.EscapeDataString(id)}/response")),
            (3, requestId.Select(id => $"invocation/{Uri.EscapeDataString(id)}/error")),
            (1, Gen.Const("init/error")),
            (1, text.Where(NotADotSegment).Select(Uri.EscapeDataString)));
        var function = Gen.Frequency((5, Gen.Const("echo")), (1, text.Where(t => t.Length > 0 && NotADotSegment(t)).Select(Uri.EscapeDataString)));
        var body = Gen.Frequency((2, Gen.String[0, 200]), (1, Gen.Const("""{"errorMessage":"m","errorType":"T"}""")), (1, Gen.Const("\u0000\uFFFF")));
        var calls = Gen.Select(Gen.OneOf("POST", "PUT", "DELETE"), function, path, body, Gen.Frequency((3, Gen.Const((string?)null)), (1, Gen.Char[(char)0x21, (char)0x7E].Array[0, 40].Select(c => (string?)new string(c)))));

        await calls.SampleAsync(async (method, name, suffix, content, errorType) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/{name}/2018-06-01/runtime/{suffix}")
            {
                Content = new StringContent(content, Encoding.UTF8, "application/json"),
            };
            if (errorType is not null)
            {
                request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
            }

            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {answer}");
            if (!response.IsSuccessStatusCode && answer.Length > 0)
            {
                using var error = JsonDocument.Parse(answer);
                Assert.False(string.IsNullOrEmpty(error.RootElement.GetProperty("errorType").GetString()));
                Assert.Equal(JsonValueKind.String, error.RootElement.GetProperty("errorMessage").ValueKind);
            }
        }, iter: 300, threads: 1, print: sample => sample.ToString());

        // The waiting invocation got whatever was first posted for it (or nothing yet); either way the function serves on.
        await environment.RespondAsync(waiting, """{"late":true}""");
        (await pending).Dispose();
        var serve = Task.Run(async () =>
        {
            var @event = await environment.NextAsync();
            await environment.RespondAsync(@event.RequestId, @event.Body);
        }, TestContext.Current.CancellationToken);
        using var invoked = await host.InvokeAsync("echo", """{"n":2}""");
        await serve;
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("""{"n":2}""", await invoked.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
