using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tap.LocalAws.Lambda.Runtime;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// The Runtime API as a runtime sees it, driven by <see cref="RuntimeApiClient"/> while a signed Invoke call waits
/// for the answer: success, errors, timeouts, crashes, several environments, init errors and misuse.
/// </summary>
public sealed class RuntimeApiTests
{
    [Fact]
    public async Task An_invocation_reaches_the_environment_with_Lambdas_headers_and_returns_its_response()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("echo", timeout: 5));
        using var environment = host.Environment("echo");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var before = DateTimeOffset.UtcNow;
        var invoke = host.InvokeAsync("echo", """{"hello":"world"}""");

        var @event = await next;
        Assert.Equal("""{"hello":"world"}""", @event.Body);
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:echo", @event.Headers["Lambda-Runtime-Invoked-Function-Arn"]);
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$", @event.Headers["Lambda-Runtime-Trace-Id"]);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(@event.Headers["Lambda-Runtime-Deadline-Ms"], CultureInfo.InvariantCulture));
        Assert.InRange(deadline, before.AddSeconds(4), DateTimeOffset.UtcNow.AddSeconds(5.5));
        Assert.True(Guid.TryParse(@event.RequestId, out _));

        var (status, body) = await environment.RespondAsync(@event.RequestId, """{"statusCode":200}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("""{"status":"OK"}""", body);

        using var response = await invoke;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("$LATEST", response.Headers.GetValues("X-Amz-Executed-Version").Single());
        Assert.False(response.Headers.Contains("X-Amz-Function-Error"));
        Assert.Equal("""{"statusCode":200}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_function_error_is_returned_as_Unhandled_with_the_runtimes_error_payload()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("failing"));
        using var environment = host.Environment("failing");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("failing", "{}");

        var (status, _) = await environment.ErrorAsync((await next).RequestId, "System.InvalidOperationException", "boom");
        Assert.Equal(HttpStatusCode.Accepted, status);

        using var response = await invoke;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("System.InvalidOperationException", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal("boom", error.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task A_timeout_fails_the_invocation_as_Lambda_reports_it_refuses_the_late_response_and_reuses_the_environment()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("slow", timeout: 1));
        using var environment = host.Environment("slow");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        using var response = await host.InvokeAsync("slow", "{}");
        var late = await next;

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Sandbox.Timedout", error.RootElement.GetProperty("errorType").GetString());
        Assert.Equal($"RequestId: {late.RequestId} Error: Task timed out after 1.00 seconds", error.RootElement.GetProperty("errorMessage").GetString());

        var (status, body) = await environment.RespondAsync(late.RequestId, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("\"errorType\":\"InvalidStateTransition\"", body, StringComparison.Ordinal);

        // The same environment polls again and serves the next invocation.
        var again = environment.NextAsync(TestContext.Current.CancellationToken);
        var second = host.InvokeAsync("slow", """{"n":2}""");
        await environment.RespondAsync((await again).RequestId, """{"ok":true}""");
        using var secondResponse = await second;
        Assert.Equal("""{"ok":true}""", await secondResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_environment_that_goes_away_mid_invocation_fails_it_at_once_with_Runtime_ExitError()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("crashing", timeout: 30));
        var environment = host.Environment("crashing");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("crashing", "{}");
        var @event = await next;

        var clock = Stopwatch.StartNew();
        environment.Dispose();
        using var response = await invoke;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Runtime.ExitError", error.RootElement.GetProperty("errorType").GetString());
        Assert.StartsWith($"RequestId: {@event.RequestId} Error: Runtime exited", error.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_environments_serve_two_invocations_at_once_one_each()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("parallel"));
        using var first = host.Environment("parallel");
        using var second = host.Environment("parallel");
        var nextFirst = first.NextAsync(TestContext.Current.CancellationToken);
        var nextSecond = second.NextAsync(TestContext.Current.CancellationToken);
        await FunctionHealth.WaitForAsync(host.Endpoint, "parallel", "Idle", environments: 2);

        var invokeA = host.InvokeAsync("parallel", """{"n":"a"}""");
        var invokeB = host.InvokeAsync("parallel", """{"n":"b"}""");

        // Both are handed out before either answers: each environment holds one.
        var events = await Task.WhenAll(nextFirst, nextSecond);
        Assert.Equal(["""{"n":"a"}""", """{"n":"b"}"""], events.Select(e => e.Body).Order(StringComparer.Ordinal));
        await FunctionHealth.WaitForAsync(host.Endpoint, "parallel", "Busy", environments: 2);

        await first.RespondAsync(events[0].RequestId, $$"""{"from":"first","got":{{events[0].Body}}}""");
        await second.RespondAsync(events[1].RequestId, $$"""{"from":"second","got":{{events[1].Body}}}""");
        var bodies = await Task.WhenAll((await Task.WhenAll(invokeA, invokeB)).Select(r => r.Content.ReadAsStringAsync()));
        Assert.Contains("\"n\":\"a\"", bodies[0], StringComparison.Ordinal);
        Assert.Contains("\"n\":\"b\"", bodies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_init_error_fails_the_waiting_invocation_with_its_error_and_shows_in_the_functions_state()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("broken"));
        var invoke = host.InvokeAsync("broken", "{}");
        using (var environment = host.Environment("broken"))
        {
            var (status, body) = await environment.InitErrorAsync("Runtime.ConfigurationError", "SECRET_ID is not set");
            Assert.Equal(HttpStatusCode.Accepted, status);
            Assert.Equal("""{"status":"OK"}""", body);
        }

        using var response = await invoke;
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Runtime.ConfigurationError", error.RootElement.GetProperty("errorType").GetString());

        using var health = await new HttpClient().GetAsync(new Uri(host.Endpoint, "/health/functions/broken"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        using var state = JsonDocument.Parse(await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("InitError", state.RootElement.GetProperty("state").GetString());
        Assert.Equal("Runtime.ConfigurationError", state.RootElement.GetProperty("initErrorType").GetString());

        // Lambda's platform lines: the init began, and its report names the error, never the message.
        var logged = host.Factory.Logs.GetSnapshot().Where(r => r.Category == "Tap.LocalAws.Lambda.broken").Select(r => r.Message).ToList();
        Assert.Equal("INIT_START", logged[0]);
        Assert.Contains("INIT_REPORT Phase: init\tStatus: error\tError Type: Runtime.ConfigurationError", logged);
        Assert.All(logged, line => Assert.DoesNotContain("SECRET_ID is not set", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Misuse_gets_the_Runtime_APIs_errors_an_unknown_request_id_a_second_response_an_unknown_function()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("strict"));
        using var environment = host.Environment("strict");
        var (status, body) = await environment.RespondAsync(Guid.NewGuid().ToString(), "{}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("""{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}""", body);

        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("strict", "{}");
        var id = (await next).RequestId;
        Assert.Equal(HttpStatusCode.Accepted, (await environment.RespondAsync(id, """{"first":true}""")).Status);
        (status, body) = await environment.RespondAsync(id, """{"second":true}""");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("\"errorType\":\"InvalidStateTransition\"", body, StringComparison.Ordinal);
        using var response = await invoke;
        Assert.Equal("""{"first":true}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var stranger = new RuntimeApiClient(host.RuntimeApi("no-such-function"));
        (status, body) = await stranger.InitErrorAsync("Runtime.Unknown", "x");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("\"errorType\":\"ResourceNotFound\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_over_Lambdas_6_MB_is_refused_to_the_runtime_and_fails_the_invocation()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("bulky"));
        using var environment = host.Environment("bulky");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("bulky", "{}");
        var id = (await next).RequestId;

        var (status, body) = await environment.RespondAsync(id, Encoding.UTF8.GetBytes("\"" + new string('x', 6_291_556) + "\""));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("\"errorType\":\"RequestEntityTooLarge\"", body, StringComparison.Ordinal);

        using var response = await invoke;
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Function.ResponseSizeTooLarge", error.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task An_error_body_over_Lambdas_6_MB_is_refused_to_the_runtime_and_ends_the_invocation_at_once()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("bulky-error", timeout: 30));
        using var environment = host.Environment("bulky-error");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("bulky-error", "{}");
        var id = (await next).RequestId;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var (status, _) = await environment.ErrorAsync(id, "Big", new string('x', 6_291_556));
        using var response = await invoke;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the invocation ended after {watch.Elapsed}, not at once (its timeout is 30 s)");
        Assert.Equal("Unhandled", response.Headers.GetValues("X-Amz-Function-Error").Single());
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Function.ResponseSizeTooLarge", error.RootElement.GetProperty("errorType").GetString());
        var (again, _) = await environment.RespondAsync(id, "{}");
        Assert.Equal(HttpStatusCode.Forbidden, again);
    }

    [Fact]
    public async Task An_invocation_nobody_polls_for_fails_after_the_queue_wait_naming_the_missing_environment()
    {
        await using var host = LambdaTestHost.Start(queueTimeoutSeconds: 1, LambdaTestHost.Function("unstarted"));
        using var health = await new HttpClient().GetAsync(new Uri(host.Endpoint, "/health/functions/unstarted"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Contains("\"state\":\"NoEnvironment\"", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var response = await host.InvokeAsync("unstarted", "{}");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("ResourceNotReadyException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains("AWS_LAMBDA_RUNTIME_API", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api-handler/2018-06-01/runtime/invocation/next", true)]
    [InlineData("/f/2018-06-01/runtime/invocation/abc/response", true)]
    [InlineData("/f/2018-06-01/runtime/init/error", true)]
    [InlineData("/2018-06-01/runtime/invocation/next", false)]
    [InlineData("/f/2018-06-01/runtimes/next", false)]
    [InlineData("/f/g/2018-06-01/runtime/invocation/next", false)]
    [InlineData("/2015-03-31/functions/f/invocations", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    public void Runtime_api_paths_are_told_apart_from_AWS_api_paths_so_they_go_untraced(string path, bool isRuntimeApi) =>
        Assert.Equal(isRuntimeApi, RuntimeApiEndpoints.IsRuntimeApiPath(new PathString(path)));
}
