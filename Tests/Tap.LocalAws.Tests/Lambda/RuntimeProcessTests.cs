using System.Diagnostics;
using System.Text.Json;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// LocalAws as its own process, serving environments that are processes too: a Python runtime that opens a
/// connection per call (one environment all the same, known by its pid), its crash, and the AWS CLI as the caller.
/// </summary>
[Trait("Category", "Process")]
public sealed class RuntimeProcessTests
{
    internal const string PythonMissing = "Missing tool: python3 is not on PATH; install it (Debian: apt-get install python3) to run this test.";

    [Fact]
    public async Task A_runtime_process_is_one_environment_across_its_connections_and_its_crash_fails_the_invocation_at_once()
    {
        Assert.SkipUnless(ExternalProcess.Exists("python3"), PythonMissing);
        await using var localAws = TestLocalAws.Process(settings: Settings(new LocalAwsFunctionSettings("py", TestPrincipals.RoleArn) { Timeout = 60 }));
        await localAws.StartAsync();
        using var runtime = StartPythonRuntime(localAws, "py");
        await localAws.RegisterEnvironmentAsync("py", runtime.Id, TestContext.Current.CancellationToken);
        using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);
        try
        {
            for (var n = 1; n <= 2; n++)
            {
                using var response = await lambda.InvokeAsync("py", $$"""{"n":{{n}}}""");
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                Assert.Equal(n, body.RootElement.GetProperty("echo").GetProperty("n").GetInt32());
                Assert.Equal(runtime.Id, body.RootElement.GetProperty("pid").GetInt32());
            }

            using var status = JsonDocument.Parse(await FunctionHealth.WaitForAsync(localAws.Endpoint, "py", "Idle", diagnostics: () => localAws.Output));
            var environment = Assert.Single(status.RootElement.GetProperty("environments").EnumerateArray());
            Assert.Equal(runtime.Id, environment.GetProperty("processId").GetInt32());
            Assert.Equal(2, environment.GetProperty("invocations").GetInt32());

            var hanging = lambda.InvokeAsync("py", """{"hang":true}""");
            await FunctionHealth.WaitForAsync(localAws.Endpoint, "py", "Busy", diagnostics: () => localAws.Output);
            var clock = Stopwatch.StartNew();
            runtime.Kill();
            using var crashed = await hanging;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
            Assert.Equal("Unhandled", crashed.Headers.GetValues("X-Amz-Function-Error").Single());
            Assert.Contains("\"errorType\":\"Runtime.ExitError\"", await crashed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            await FunctionHealth.WaitForAsync(localAws.Endpoint, "py", "NoEnvironment", diagnostics: () => localAws.Output);
        }
        finally
        {
            runtime.Kill();
            await runtime.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // The first invocation reported the process's init time; each reported its peak memory.
        var reports = localAws.Output.Split('\n').Where(l => l.Contains("REPORT RequestId:", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, reports.Count);
        Assert.Contains("Init Duration: ", reports[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Init Duration: ", reports[1], StringComparison.Ordinal);
        Assert.All(reports, r => Assert.Matches("Max Memory Used: [1-9][0-9]* MB", r));
    }

    [Fact]
    public async Task The_shell_and_curl_runtime_of_AWSs_tutorial_is_one_environment_the_shell()
    {
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        await using var localAws = TestLocalAws.Process(settings: Settings(new LocalAwsFunctionSettings("sh", TestPrincipals.RoleArn)));
        await localAws.StartAsync();
        var start = new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Lambda", "bash_runtime.sh") }, UseShellExecute = false };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/sh";
        using var shell = Process.Start(start)!;
        await localAws.RegisterEnvironmentAsync("sh", shell.Id, TestContext.Current.CancellationToken);
        using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);
        try
        {
            for (var n = 1; n <= 3; n++)
            {
                using var response = await lambda.InvokeAsync("sh", $$"""{"n":{{n}}}""");
                var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.False(response.Headers.Contains("X-Amz-Function-Error"), body);
                Assert.Equal($$"""{"echo":{"n":{{n}}},"pid":{{shell.Id}}}""", body);
            }

            using var status = JsonDocument.Parse(await FunctionHealth.WaitForAsync(localAws.Endpoint, "sh", "Idle", diagnostics: () => localAws.Output));
            var environment = Assert.Single(status.RootElement.GetProperty("environments").EnumerateArray());
            Assert.Equal(shell.Id, environment.GetProperty("processId").GetInt32());
            Assert.Equal(3, environment.GetProperty("invocations").GetInt32());
        }
        finally
        {
            shell.Kill(entireProcessTree: true);
            await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task With_thousands_of_TIME_WAIT_sockets_a_connection_per_call_runtime_serves_200_concurrent_invocations()
    {
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        var timeWait = await TimeWaitSockets.CreateAsync(5000, TestContext.Current.CancellationToken);
        var settings = new LocalAwsSettings { Functions = [new LocalAwsFunctionSettings("sh", TestPrincipals.RoleArn)], InvocationQueueTimeoutSeconds = 60 };
        await using var localAws = TestLocalAws.Process(settings: settings.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value));
        await localAws.StartAsync();
        var shells = Enumerable.Range(0, 2).Select(_ =>
        {
            var start = new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Lambda", "bash_runtime.sh") }, UseShellExecute = false };
            start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/sh";
            return Process.Start(start)!;
        }).ToList();
        using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);
        try
        {
            foreach (var shell in shells)
            {
                await localAws.RegisterEnvironmentAsync("sh", shell.Id, TestContext.Current.CancellationToken);
            }

            await FunctionHealth.WaitForAsync(localAws.Endpoint, "sh", "Idle", environments: 2, diagnostics: () => localAws.Output);

            var calls = await Task.WhenAll(Enumerable.Range(0, 200).Select(async n =>
            {
                using var response = await lambda.InvokeAsync("sh", $$"""{"n":{{n}}}""");
                return ((int)response.StatusCode, response.Headers.Contains("X-Amz-Function-Error"), await response.Content.ReadAsStringAsync());
            }));

            Assert.True(timeWait >= 4000, $"only {timeWait} TIME_WAIT sockets were made");
            Assert.All(calls, c => Assert.Equal((200, false), (c.Item1, c.Item2)));
            using var status = JsonDocument.Parse(await FunctionHealth.WaitForAsync(localAws.Endpoint, "sh", "Idle", diagnostics: () => localAws.Output));
            Assert.Equal(shells.Select(s => s.Id).Order(), status.RootElement.GetProperty("environments").EnumerateArray().Select(e => e.GetProperty("processId").GetInt32()).Order());
        }
        finally
        {
            foreach (var shell in shells)
            {
                shell.Kill(entireProcessTree: true);
                await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
                shell.Dispose();
            }
        }
    }

    [Fact]
    public async Task The_AWS_CLI_invokes_a_function_served_by_a_test_environment()
    {
        AwsCli.SkipUnlessInstalled();
        await using var localAws = TestLocalAws.Process(settings: Settings(new LocalAwsFunctionSettings("cli-target", TestPrincipals.RoleArn)));
        await localAws.StartAsync();
        await localAws.RegisterEnvironmentAsync("cli-target", Environment.ProcessId, TestContext.Current.CancellationToken);
        using var environment = new RuntimeApiClient($"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/cli-target");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var serve = Task.Run(async () =>
        {
            var @event = await environment.NextAsync(stop.Token);
            await environment.RespondAsync(@event.RequestId, $$"""{"received":{{@event.Body}}}""");
        }, TestContext.Current.CancellationToken);

        var output = Path.Combine(Path.GetTempPath(), $"lambda-out-{Guid.NewGuid():N}.json");
        try
        {
            // The CLI on PATH (v1) sends --payload as it is given.
            var result = await AwsCli.RunAsync(localAws.Endpoint, TestPrincipals.Admin, null,
                "lambda", "invoke", "--function-name", "cli-target", "--payload", """{"from":"cli"}""", "--log-type", "Tail", output);
            Assert.True(result.ExitCode == 0, result.Error);
            await serve;

            using var metadata = JsonDocument.Parse(result.Output);
            Assert.Equal(200, metadata.RootElement.GetProperty("StatusCode").GetInt32());
            Assert.Equal("$LATEST", metadata.RootElement.GetProperty("ExecutedVersion").GetString());
            Assert.Contains("START RequestId:", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(metadata.RootElement.GetProperty("LogResult").GetString()!)), StringComparison.Ordinal);
            Assert.Equal("""{"received":{"from":"cli"}}""", await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));

            var denied = await AwsCli.RunAsync(localAws.Endpoint, TestPrincipals.Reader, null, "lambda", "invoke", "--function-name", "cli-target", output);
            Assert.NotEqual(0, denied.ExitCode);
            Assert.Contains("AccessDeniedException", denied.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public async Task LocalAws_stops_at_once_while_an_environment_waits_for_an_invocation()
    {
        await using var localAws = TestLocalAws.Process(settings: Settings(new LocalAwsFunctionSettings("waiting", TestPrincipals.RoleArn)));
        await localAws.StartAsync();
        await localAws.RegisterEnvironmentAsync("waiting", Environment.ProcessId, TestContext.Current.CancellationToken);
        using var environment = new RuntimeApiClient($"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/waiting");
        var poll = environment.NextAsync(TestContext.Current.CancellationToken);
        await FunctionHealth.WaitForAsync(localAws.Endpoint, "waiting", "Idle", diagnostics: () => localAws.Output);

        var clock = Stopwatch.StartNew();
        await localAws.StopAsync();

        // Without ending the long poll, the host waits out its 30-second shutdown grace period for it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        await Assert.ThrowsAsync<HttpRequestException>(() => poll);
    }

    internal static Dictionary<string, string?> Settings(params LocalAwsFunctionSettings[] functions) =>
        new LocalAwsSettings { Functions = functions }.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value);

    internal static Process StartPythonRuntime(LocalAwsProcess localAws, string function, bool redirectError = false)
    {
        var start = new ProcessStartInfo("python3") { ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Lambda", "python_runtime.py") }, UseShellExecute = false, RedirectStandardError = redirectError };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/{function}";
        return Process.Start(start)!;
    }
}
