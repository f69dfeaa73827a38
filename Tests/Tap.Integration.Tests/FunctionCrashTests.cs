using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.Integration.Tests;

/// <summary>
/// A function process that dies: the request it was serving fails at once with the gateway's 500, the AppHost starts
/// the process again as Lambda replaces a dead execution environment, and the API answers again. A stop asked for
/// by a user is not a crash.
/// </summary>
[Trait("Category", "Process")]
public sealed class FunctionCrashTests(TapAppFixture fixture)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);

    // CI kills one process; bench/faults.sh kills one after another (TAP_CRASH_ROUNDS) in the same app.
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("TAP_CRASH_ROUNDS"), out var rounds) && rounds > 0 ? rounds : 1;

    private LambdaProjectResource Function => fixture.Resource<LambdaProjectResource>(TapApplication.Function.Name);

    [Fact]
    public async Task A_function_process_killed_mid_invocation_fails_that_request_with_500_and_is_started_again()
    {
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);
        for (var round = 0; round < Rounds; round++)
        {
            await KillOneMidInvocationAsync(client);
        }
    }

    [Fact]
    public async Task A_replica_stopped_from_the_dashboard_stays_stopped_until_started()
    {
        await WaitForEnvironmentsAsync(pids => pids.Count == TapAppFixture.FunctionReplicas);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var instance = (await fixture.AllInstanceStatesAsync()).First(i => i.Resource == Function).Id;
        using var cts = new CancellationTokenSource(RecoveryTimeout);

        var stopped = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StopCommand, cts.Token);
        Assert.True(stopped.Success, stopped.Message);
        try
        {
            await WaitForEnvironmentsAsync(pids => pids.Count == TapAppFixture.FunctionReplicas - 1);
            await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
            var remaining = await EnvironmentsAsync();
            Assert.True(remaining.Count == TapAppFixture.FunctionReplicas - 1, $"LocalAws lists the environments {string.Join(", ", remaining)}.");
            Assert.Contains((await fixture.AllInstanceStatesAsync()).Single(i => i.Id == instance).Snapshot.State?.Text, KnownResourceStates.TerminalStates);
        }
        finally
        {
            var started = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, cts.Token);
            Assert.True(started.Success, started.Message);
            await WaitForEnvironmentsAsync(pids => pids.Count == TapAppFixture.FunctionReplicas);
        }
    }

    private async Task KillOneMidInvocationAsync(HttpClient client)
    {
        // An environment stays busy after its response until it asks for the next event: wait until every one has.
        var before = await WaitForEnvironmentsAsync(pids => pids.Count == TapAppFixture.FunctionReplicas, idle: true);

        // Every environment frozen, the request waits inside whichever one LocalAws hands it to.
        int killed;
        Task<HttpResponseMessage> pending;
        Stopwatch sinceKill;
        foreach (var pid in before)
        {
            await ExternalProcess.SignalAsync(pid, "STOP");
        }

        try
        {
            pending = client.GetAsync(fixture.StageUrl("orders/crash"));
            killed = await BusyEnvironmentAsync();
            sinceKill = Stopwatch.StartNew();
            await ExternalProcess.SignalAsync(killed, "KILL");
        }
        finally
        {
            foreach (var pid in before)
            {
                await ExternalProcess.SignalAsync(pid, "CONT");
            }
        }

        using (var response = await pending)
        {
            Assert.True(sinceKill.Elapsed < TimeSpan.FromSeconds(2), $"The gateway answered {sinceKill.Elapsed} after the kill.");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
            Assert.Equal("""{"message":"Internal Server Error"}""", await response.Content.ReadAsStringAsync());
        }

        // A new process takes the dead one's place, and every request succeeds again.
        var after = await WaitForEnvironmentsAsync(pids => pids.Count == TapAppFixture.FunctionReplicas && !pids.Contains(killed));
        Assert.Single(after.Except(before));
        for (var n = 0; n < 10; n++)
        {
            using var response = await client.GetAsync(fixture.StageUrl($"orders/{n}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>The processes of the function's execution environments (only the idle ones if asked), as LocalAws's health endpoint lists them.</summary>
    private async Task<IReadOnlyList<int>> EnvironmentsAsync(bool idle = false) =>
    [
        .. (await StatusAsync()).GetProperty("environments").EnumerateArray()
            .Where(e => !idle || !e.GetProperty("busy").GetBoolean())
            .Select(e => e.GetProperty("processId").GetInt32()),
    ];

    private async Task<int> BusyEnvironmentAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var busy = (await StatusAsync()).GetProperty("environments").EnumerateArray().Where(e => e.GetProperty("busy").GetBoolean()).ToList();
            if (busy.Count == 1)
            {
                return busy[0].GetProperty("processId").GetInt32();
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No execution environment took the request: {await StatusAsync()}");
    }

    private async Task<IReadOnlyList<int>> WaitForEnvironmentsAsync(Func<IReadOnlyList<int>, bool> condition, bool idle = false)
    {
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        IReadOnlyList<int> pids;
        while (!condition(pids = await EnvironmentsAsync(idle)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"LocalAws lists the environments {string.Join(", ", pids)}.");
            await Task.Delay(250);
        }

        return pids;
    }

    private async Task<JsonElement> StatusAsync()
    {
        using var client = new HttpClient();
        var health = new Uri($"{fixture.LocalAws.PrimaryEndpoint.Url}{LocalAwsFunctionSettings.HealthPathPrefix}/{fixture.FunctionName}");
        using var response = await client.GetAsync(health);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
