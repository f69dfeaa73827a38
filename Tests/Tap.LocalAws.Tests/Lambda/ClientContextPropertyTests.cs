using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Any client context Invoke accepts (valid base64 of JSON, up to 3,583 bytes of base64), written with newlines,
/// raw non-ASCII characters and escapes, reaches the runtime as the same JSON value in its
/// <c>Lambda-Runtime-Client-Context</c> header, and the invocation completes at once: no input leaves an environment
/// waiting for the function's timeout.
/// </summary>
public sealed class ClientContextPropertyTests
{
    private const int MaxBase64 = 3583;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task Every_accepted_client_context_reaches_the_runtime_as_the_same_JSON_and_frees_the_environment()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("contextual", timeout: 30));
        using var environment = host.Environment("contextual");
        var text = Gen.Frequency((3, Gen.String[0, 40]), (1, Gen.OneOf("line\nbreak", "tab\there", "é🔑中文", "\u0000\u001f", "\"quoted\"", "\\")));
        var contexts = Gen.Select(text.Array[0, 6], text.Array[0, 6], Gen.Bool)
            .Select((keys, values, indented) => (Context: Object(keys, values), Indented: indented))
            .Where(c => Base64(c.Context, c.Indented).Length <= MaxBase64);

        await contexts.SampleAsync(async (context, indented) =>
        {
            var next = environment.NextAsync(TestContext.Current.CancellationToken);
            var invoke = host.InvokeAsync("contextual", "{}", configure: r => r.Headers.Add("X-Amz-Client-Context", Base64(context, indented)));
            var @event = await next.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            await environment.RespondAsync(@event.RequestId, "{}");
            using var response = await invoke.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var header = @event.Headers["Lambda-Runtime-Client-Context"];
            Assert.All(header, c => Assert.InRange(c, ' ', '~'));
            Assert.True(JsonNode.DeepEquals(context, JsonNode.Parse(header)), $"sent {context.ToJsonString()}, the runtime got {header}");
        }, iter: 150, threads: 1, print: sample => sample.Item1.ToJsonString());
    }

    private static JsonObject Object(string[] keys, string[] values)
    {
        var json = new JsonObject();
        for (var i = 0; i < keys.Length; i++)
        {
            json[keys[i]] = i < values.Length ? values[i] : new JsonObject { ["nested"] = new JsonArray(1, true, null, keys[i]) };
        }

        return new JsonObject { ["client"] = json, ["custom"] = new JsonObject { ["tenant"] = values.FirstOrDefault() ?? "t" } };
    }

    private static string Base64(JsonObject context, bool indented) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(indented ? context.ToJsonString(Indented) : context.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
}
