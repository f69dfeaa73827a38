using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Lambda's Invoke API as SDKs call it: SigV4 for <c>lambda</c>, <c>lambda:InvokeFunction</c> on the function's
/// ARN, the three invocation types, payload limits, the log tail, and GetFunction/ListFunctions.
/// </summary>
public sealed class InvokeApiTests
{
    [Fact]
    public async Task Invoke_is_denied_to_a_caller_without_lambda_InvokeFunction_and_to_an_unsigned_one()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("guarded"));

        using var denied = await host.InvokeAsync("guarded", "{}", TestPrincipals.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("AccessDeniedException", denied.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains("is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:000000000000:function:guarded",
            await denied.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/guarded/invocations") { Content = new StringContent("{}") };
        using var unsigned = await host.SendAsync(request, credentials: null);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", unsigned.Headers.GetValues("x-amzn-ErrorType").Single());

        // A caller who may invoke learns that a function does not exist; one who may not learns nothing.
        using var missing = await host.InvokeAsync("no-such-function", "{}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("ResourceNotFoundException", missing.Headers.GetValues("x-amzn-ErrorType").Single());
        using var missingDenied = await host.InvokeAsync("no-such-function", "{}", TestPrincipals.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, missingDenied.StatusCode);
    }

    [Fact]
    public async Task Payloads_over_Lambdas_limits_and_malformed_input_are_refused_before_anything_is_queued()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("limits"));

        using var tooLarge = await host.InvokeAsync("limits", "\"" + new string('x', 6_291_456) + "\"");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("RequestTooLargeException", tooLarge.Headers.GetValues("x-amzn-ErrorType").Single());

        using var asyncTooLarge = await host.InvokeAsync("limits", "\"" + new string('x', 1_048_576) + "\"",
            configure: r => r.Headers.Add("X-Amz-Invocation-Type", "Event"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, asyncTooLarge.StatusCode);

        using var notJson = await host.InvokeAsync("limits", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("InvalidRequestContentException", notJson.Headers.GetValues("x-amzn-ErrorType").Single());

        using var badType = await host.InvokeAsync("limits", "{}", configure: r => r.Headers.Add("X-Amz-Invocation-Type", "Sometimes"));
        Assert.Equal(HttpStatusCode.BadRequest, badType.StatusCode);
        Assert.Equal("ValidationException", badType.Headers.GetValues("x-amzn-ErrorType").Single());

        using var health = await new HttpClient().GetAsync(new Uri(host.Endpoint, "/health/functions/limits"), TestContext.Current.CancellationToken);
        Assert.Contains("\"queuedInvocations\":0", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_invocations_are_accepted_and_run_and_DryRun_checks_without_running()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("async"));
        using var dryRun = await host.InvokeAsync("async", "{}", configure: r => r.Headers.Add("X-Amz-Invocation-Type", "DryRun"));
        Assert.Equal(HttpStatusCode.NoContent, dryRun.StatusCode);

        using var accepted = await host.InvokeAsync("async", """{"kind":"event"}""", configure: r => r.Headers.Add("X-Amz-Invocation-Type", "Event"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        // The environment gets the event, not the dry run.
        using var environment = host.Environment("async");
        var @event = await environment.NextAsync(TestContext.Current.CancellationToken);
        Assert.Equal("""{"kind":"event"}""", @event.Body);
        Assert.Equal(HttpStatusCode.Accepted, (await environment.RespondAsync(@event.RequestId, "null")).Status);
    }

    [Fact]
    public async Task Event_invocations_nobody_takes_are_queued_up_to_LocalAws_bounds_and_refused_with_429_beyond()
    {
        await using var host = LambdaTestHost.Start(queueTimeoutSeconds: 60, LambdaTestHost.Function("flooded"), LambdaTestHost.Function("heavy"));
        static Action<HttpRequestMessage> Event() => r => r.Headers.Add("X-Amz-Invocation-Type", "Event");

        var small = new List<HttpStatusCode>();
        for (var i = 0; i < 1010; i++)
        {
            using var response = await host.InvokeAsync("flooded", "{}", configure: Event());
            small.Add(response.StatusCode);
        }

        var large = new List<(HttpStatusCode Status, string? Type)>();
        var megabyte = "\"" + new string('x', 1_000_000) + "\"";
        for (var i = 0; i < 70; i++)
        {
            using var response = await host.InvokeAsync("heavy", megabyte, configure: Event());
            large.Add((response.StatusCode, response.Headers.TryGetValues("x-amzn-ErrorType", out var type) ? type.Single() : null));
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Accepted, 1000).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10)), small);
        Assert.Equal(67, large.Count(r => r.Status == HttpStatusCode.Accepted));
        Assert.All(large.Skip(67), r => Assert.Equal((HttpStatusCode.TooManyRequests, "TooManyRequestsException"), r));
    }

    [Fact]
    public async Task Tail_returns_the_invocations_platform_lines_and_the_same_lines_are_logged()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("tailed"));
        using var environment = host.Environment("tailed");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("tailed", "{}", configure: r => r.Headers.Add("X-Amz-Log-Type", "Tail"));
        var @event = await next;
        await environment.ErrorAsync(@event.RequestId, "Function.Failed", "tail me");
        using var response = await invoke;

        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Amz-Log-Result").Single()));
        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"START RequestId: {@event.RequestId} Version: $LATEST", lines[0]);
        Assert.Contains(lines, l => l.Contains("\"errorType\":\"Function.Failed\"", StringComparison.Ordinal));
        Assert.Contains($"END RequestId: {@event.RequestId}", lines);
        Assert.Matches($"^REPORT RequestId: {@event.RequestId}\tDuration: [0-9]+\\.[0-9]{{2}} ms\tBilled Duration: [0-9]+ ms\tMemory Size: 256 MB", lines[^1]);

        var logged = host.Factory.Logs.GetSnapshot().Where(r => r.Category == "Tap.LocalAws.Lambda.tailed").Select(r => r.Message).ToList();
        Assert.StartsWith("INIT_START", logged[0], StringComparison.Ordinal);
        Assert.Single(logged, line => line.StartsWith("INIT_START", StringComparison.Ordinal));
        Assert.Contains(lines[0], logged);
        Assert.Contains(lines[^1], logged);
        Assert.All(logged, line => Assert.DoesNotContain("tail me", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_function_logging_JSON_gets_platform_start_and_report_records()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("structured", logFormat: "JSON"));
        using var environment = host.Environment("structured");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var invoke = host.InvokeAsync("structured", "{}", configure: r => r.Headers.Add("X-Amz-Log-Type", "Tail"));
        var @event = await next;
        await environment.RespondAsync(@event.RequestId, "{}");
        using var response = await invoke;

        var records = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Amz-Log-Result").Single()))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .ToList();
        Assert.Equal(["platform.start", "platform.report"], records.Select(r => r.GetProperty("type").GetString()));
        Assert.Equal(@event.RequestId, records[0].GetProperty("record").GetProperty("requestId").GetString());
        Assert.Equal("$LATEST", records[0].GetProperty("record").GetProperty("version").GetString());
        var report = records[1].GetProperty("record");
        Assert.Equal("success", report.GetProperty("status").GetString());
        Assert.Equal(256, report.GetProperty("metrics").GetProperty("memorySizeMB").GetInt32());
        Assert.True(report.GetProperty("metrics").GetProperty("billedDurationMs").GetInt64() >= 1);

        // The environment's init is logged once, before its first invocation.
        var logged = host.Factory.Logs.GetSnapshot().Where(r => r.Category == "Tap.LocalAws.Lambda.structured").Select(r => JsonDocument.Parse(r.Message).RootElement).ToList();
        Assert.Equal(["platform.initStart", "platform.start", "platform.report"], logged.Select(r => r.GetProperty("type").GetString()));
        var init = logged[0].GetProperty("record");
        Assert.Equal(("on-demand", "init", "structured", "$LATEST"), (init.GetProperty("initializationType").GetString(), init.GetProperty("phase").GetString(),
            init.GetProperty("functionName").GetString(), init.GetProperty("functionVersion").GetString()));
    }

    [Fact]
    public async Task The_callers_trace_reaches_the_environment_and_an_HTTP_events_traceparent_names_the_invocation_span()
    {
        // Sampled, so LocalAws creates the invocation span the trace headers name.
        using var sampled = new SpanRecorder("Tap.LocalAws");
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("traced"));
        using var environment = host.Environment("traced");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var traceId = ActivityTraceId.CreateRandom();

        // The caller's span; the test's HTTP client may propagate it itself (as a child), or send the header as given.
        Task<HttpResponseMessage> invoke;
        using (new Activity("caller").SetParentId(traceId, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            invoke = host.InvokeAsync("traced", """{"version":"2.0","headers":{"host":"example"}}""",
                configure: r => r.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01"));
        }

        var @event = await next;
        await environment.RespondAsync(@event.RequestId, "{}");
        (await invoke).Dispose();

        var xray = @event.Headers["Lambda-Runtime-Trace-Id"];
        Assert.StartsWith($"Root=1-{traceId.ToHexString()[..8]}-{traceId.ToHexString()[8..]};", xray, StringComparison.Ordinal);
        using var payload = JsonDocument.Parse(@event.Body);
        var traceparent = payload.RootElement.GetProperty("headers").GetProperty("traceparent").GetString()!;
        Assert.Matches($"^00-{traceId}-[0-9a-f]{{16}}-01$", traceparent);
        Assert.Contains($"Parent={traceparent.Split('-')[2]}", xray, StringComparison.Ordinal);
        Assert.Equal("example", payload.RootElement.GetProperty("headers").GetProperty("host").GetString());
    }

    [Fact]
    public async Task A_traced_payload_that_repeats_a_key_reaches_the_function_as_it_was_sent()
    {
        using var sampled = new SpanRecorder("Tap.LocalAws");
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("repeated"));
        using var environment = host.Environment("repeated");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        const string payload = """{"version":"2.0","headers":{"host":"a","host":"b"}}""";

        Task<HttpResponseMessage> invoke;
        using (new Activity("caller").SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded).Start())
        {
            invoke = host.InvokeAsync("repeated", payload);
        }

        var @event = await next;
        await environment.RespondAsync(@event.RequestId, "{}");
        using var answer = await invoke;

        // Not JSON LocalAws may rewrite (a trace header added), so it is passed on untouched.
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(payload, @event.Body);
    }

    [Fact]
    public async Task GetFunction_and_ListFunctions_answer_from_the_configuration()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("alpha", timeout: 7), LambdaTestHost.Function("beta"));

        using var get = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/2015-03-31/functions/alpha"), TestPrincipals.Admin);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        using var function = JsonDocument.Parse(await get.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var configuration = function.RootElement.GetProperty("Configuration");
        Assert.Equal("arn:aws:lambda:us-east-1:000000000000:function:alpha", configuration.GetProperty("FunctionArn").GetString());
        Assert.Equal(TestPrincipals.RoleArn, configuration.GetProperty("Role").GetString());
        Assert.Equal(7, configuration.GetProperty("Timeout").GetInt32());
        Assert.Equal(256, configuration.GetProperty("MemorySize").GetInt32());

        using var list = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/2015-03-31/functions/?MaxItems=1"), TestPrincipals.Admin);
        using var page = JsonDocument.Parse(await list.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(["alpha"], page.RootElement.GetProperty("Functions").EnumerateArray().Select(f => f.GetProperty("FunctionName").GetString()));
        Assert.Equal("alpha", page.RootElement.GetProperty("NextMarker").GetString());

        using var denied = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/2015-03-31/functions/alpha"), TestPrincipals.Reader);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
    }

    [Fact]
    public async Task A_client_context_reaches_the_environment_and_a_malformed_one_is_refused()
    {
        await using var host = LambdaTestHost.Start(LambdaTestHost.Function("contextual"));
        using var environment = host.Environment("contextual");
        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var context = """{"custom":{"tenant":"t-1"}}""";
        var invoke = host.InvokeAsync("contextual", "{}", configure: r => r.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String(Encoding.UTF8.GetBytes(context))));
        var @event = await next;
        await environment.RespondAsync(@event.RequestId, "{}");
        (await invoke).Dispose();
        Assert.Equal(context, @event.Headers["Lambda-Runtime-Client-Context"]);

        using var malformed = await host.InvokeAsync("contextual", "{}", configure: r => r.Headers.Add("X-Amz-Client-Context", "not base64!"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("InvalidRequestContentException", malformed.Headers.GetValues("x-amzn-ErrorType").Single());
    }
}
