using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Who may use a function's Runtime API: only its execution environments — processes registered for it, and what
/// they start. A process nobody registered can neither take an invocation nor answer one, and an environment cannot
/// answer an invocation handed to another.
/// </summary>
[Trait("Category", "Process")]
public sealed partial class RuntimeApiAccessTests
{
    [Fact]
    public async Task A_process_nobody_registered_can_neither_take_an_invocation_nor_answer_one()
    {
        Assert.SkipUnless(ExternalProcess.Exists("python3"), RuntimeProcessTests.PythonMissing);
        await using var localAws = TestLocalAws.Process(settings: RuntimeProcessTests.Settings(new LocalAwsFunctionSettings("guarded", TestPrincipals.RoleArn) { Timeout = 60 }));
        await localAws.StartAsync();
        using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);

        // A stranger polls first; an invocation then waits for an environment; the registered one takes it.
        using var stranger = RuntimeProcessTests.StartPythonRuntime(localAws, "guarded", redirectError: true);
        var strangerError = stranger.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        var first = lambda.InvokeAsync("guarded", """{"n":1}""");
        using var environment = RuntimeProcessTests.StartPythonRuntime(localAws, "guarded");
        try
        {
            await localAws.RegisterEnvironmentAsync("guarded", environment.Id, TestContext.Current.CancellationToken);
            using (var response = await first)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                Assert.Equal(environment.Id, body.RootElement.GetProperty("pid").GetInt32());
            }

            // The stranger's poll is refused once its wait for a registration is over, and it got nothing.
            await stranger.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Contains("HTTP Error 403", await strangerError, StringComparison.Ordinal);
            Assert.Contains($"process {stranger.Id} (python3) is not one of its execution environments", localAws.Output, StringComparison.Ordinal);

            // The registered environment hangs on an invocation whose id is in LocalAws's log; strangers answer it.
            var hanging = lambda.InvokeAsync("guarded", """{"hang":true}""");
            var requestId = await RunningRequestIdAsync(localAws, count: 2);
            foreach (var forge in (Func<Task<(HttpStatusCode Status, string Body)>>[])[() => CurlAsync(localAws, requestId), () => PostAsync(localAws, requestId)])
            {
                var (status, body) = await forge();
                Assert.Equal(HttpStatusCode.Forbidden, status);
                Assert.Contains("\"errorType\":\"AccessDeniedException\"", body, StringComparison.Ordinal);
            }

            // The forgeries changed nothing: the invocation still runs, and ends as its own environment ends it.
            await FunctionHealth.WaitForAsync(localAws.Endpoint, "guarded", "Busy", diagnostics: () => localAws.Output);
            environment.Kill();
            using var ended = await hanging;
            var payload = await ended.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("\"errorType\":\"Runtime.ExitError\"", payload, StringComparison.Ordinal);
            Assert.DoesNotContain("forged", payload, StringComparison.Ordinal);
        }
        finally
        {
            environment.Kill();
            stranger.Kill();
            await environment.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task An_environment_cannot_answer_an_invocation_handed_to_another()
    {
        Assert.SkipUnless(ExternalProcess.Exists("python3"), RuntimeProcessTests.PythonMissing);
        await using var localAws = TestLocalAws.Process(settings: RuntimeProcessTests.Settings(new LocalAwsFunctionSettings("pair", TestPrincipals.RoleArn) { Timeout = 60 }));
        await localAws.StartAsync();
        using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);
        using var one = RuntimeProcessTests.StartPythonRuntime(localAws, "pair");
        using var other = RuntimeProcessTests.StartPythonRuntime(localAws, "pair");
        try
        {
            await localAws.RegisterEnvironmentAsync("pair", one.Id, TestContext.Current.CancellationToken);
            await localAws.RegisterEnvironmentAsync("pair", other.Id, TestContext.Current.CancellationToken);
            await FunctionHealth.WaitForAsync(localAws.Endpoint, "pair", "Idle", environments: 2, diagnostics: () => localAws.Output);

            // One environment hangs on the first invocation; the other is told to answer it, then answers its own.
            var hanging = lambda.InvokeAsync("pair", """{"hang":true}""");
            var requestId = await RunningRequestIdAsync(localAws, count: 1);
            using var forger = await lambda.InvokeAsync("pair", $$"""{"answer":"{{requestId}}"}""");
            using var result = JsonDocument.Parse(await forger.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            var answered = result.RootElement.GetProperty("answered");
            Assert.Equal(400, answered.GetProperty("status").GetInt32());
            Assert.Contains("\"errorType\":\"InvalidRequestID\"", answered.GetProperty("body").GetString(), StringComparison.Ordinal);

            // The invocation is still the hanging environment's: it ends when that environment does.
            var hung = result.RootElement.GetProperty("pid").GetInt32() == one.Id ? other : one;
            await FunctionHealth.WaitForAsync(localAws.Endpoint, "pair", "Idle", environments: 2, diagnostics: () => localAws.Output);
            Assert.False(hanging.IsCompleted);
            hung.Kill();
            using var ended = await hanging;
            var payload = await ended.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("\"errorType\":\"Runtime.ExitError\"", payload, StringComparison.Ordinal);
        }
        finally
        {
            one.Kill();
            other.Kill();
            await one.WaitForExitAsync(TestContext.Current.CancellationToken);
            await other.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The request id of the <paramref name="count"/>th invocation LocalAws started, from its log.</summary>
    private static async Task<string> RunningRequestIdAsync(LocalAwsProcess localAws, int count)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(15); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            var started = StartLine().Matches(localAws.Output);
            if (started.Count >= count)
            {
                return started[count - 1].Groups["id"].Value;
            }
        }

        throw new TimeoutException($"LocalAws never started invocation {count}:\n{localAws.Output}");
    }

    /// <summary>A <c>curl</c> the test starts (not registered, nor is the test) posts the invocation's response.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> CurlAsync(LocalAwsProcess localAws, string requestId)
    {
        var start = new ProcessStartInfo("curl")
        {
            ArgumentList = { "-sS", "-w", "\n%{http_code}", "-X", "POST", "-d", """{"forged":true}""", RuntimeUrl(localAws, requestId) },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var curl = Process.Start(start)!;
        var output = await curl.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await curl.WaitForExitAsync(TestContext.Current.CancellationToken);
        var split = output.LastIndexOf('\n');
        return ((HttpStatusCode)int.Parse(output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), output[..split]);
    }

    /// <summary>The test's own process, which nobody registered, posts the invocation's response.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(LocalAwsProcess localAws, string requestId)
    {
        using var http = new HttpClient();
        using var content = new StringContent("""{"forged":true}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri(RuntimeUrl(localAws, requestId)), content, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private static string RuntimeUrl(LocalAwsProcess localAws, string requestId) =>
        $"{localAws.Endpoint.ToString().TrimEnd('/')}/guarded/2018-06-01/runtime/invocation/{requestId}/response";

    [GeneratedRegex("START RequestId: (?<id>[0-9a-f-]{36})")]
    private static partial Regex StartLine();
}
