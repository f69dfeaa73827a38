using System.Net;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>What a person sees in the dashboard for one signed request: one trace across the gateway, Lambda, the Function and Secrets Manager.</summary>
[Trait("Category", "Process")]
public sealed class TelemetryTests(TapAppFixture fixture)
{
    private static readonly TimeSpan TelemetryWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_signed_request_that_fetches_the_secret_is_one_trace_with_its_logs()
    {
        // Past the cache TTL the request itself fetches the secret.
        await Task.Delay(TapAppFixture.SecretCacheTtl + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var marker = Guid.NewGuid().ToString("N");
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);
        using var response = await client.GetAsync(fixture.StageUrl($"telemetry/{marker}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        var gatewayRequestId = Assert.Single(response.Headers.GetValues("apigw-requestid"));
        using var telemetry = fixture.Telemetry();
        var trace = await telemetry.TraceThatFetchedTheSecretAsync(marker);

        // API → function → Secrets Manager, each under its own resource in the dashboard.
        var root = Assert.Single(trace, s => s.ParentSpanId is null);
        Assert.Equal((Api, "GET /{proxy+}", "/{proxy+}"), (root.Service, root.Name, root.Attributes.GetValueOrDefault("http.route")));   // the gateway
        Assert.Contains(trace, s => s.Service == Api && s.Name == "Lambda.Invoke" && s.ParentSpanId == root.SpanId);         // its call into the function
        Assert.Contains(trace, s => s.Service == Function && s.Name != DashboardTelemetry.SecretsManagerGetSecretValue);     // the Function's request
        Assert.Contains(trace, s => s.Service == Function && s.Name == DashboardTelemetry.SecretsManagerGetSecretValue);     // its Secrets Manager call
        Assert.Contains(trace, s => s.Service == "localaws" && s.Name == DashboardTelemetry.SecretsManagerGetSecretValue);   // served by LocalAws

        // LocalAws's own spans are only its own APIs': none of the gateway's stays under localaws.
        Assert.DoesNotContain(trace, s => s.Service == "localaws" && (s.Attributes.ContainsKey("aws.api_gateway.api_id") || s.Attributes.GetValueOrDefault("url.path")?.Contains(marker, StringComparison.Ordinal) == true));

        // Nothing hangs detached in the dashboard's trace view: every other span's parent is in the trace.
        var ids = trace.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        Assert.All(trace.Where(s => s.ParentSpanId is not null), s => Assert.True(ids.Contains(s.ParentSpanId!), $"{s.Service} {s.Scope} {s.Name} {string.Join(' ', s.Attributes.Select(a => a.Key + "=" + a.Value))}"));

        // The functions' Runtime API calls (a long poll per environment, a response per invocation) are plumbing,
        // as in AWS: none of them is a trace or span of its own in the dashboard.
        Assert.DoesNotContain(await telemetry.SpansAsync(), s => s.Attributes.GetValueOrDefault("url.path")?.Contains("/2018-06-01/runtime/", StringComparison.Ordinal) == true);

        var logDescription = string.Empty;
        var logs = await EventuallyAsync(async () =>
        {
            var all = await telemetry.LogsAsync();
            logDescription = string.Join("\n", all.Where(l => l.Body.Contains(marker, StringComparison.Ordinal) || l.Body.StartsWith("REPORT", StringComparison.Ordinal)
                    || l.Body.Contains(requestId, StringComparison.Ordinal) || l.Body.Contains(gatewayRequestId, StringComparison.Ordinal))
                .Select(l => $"{l.Service} {l.Scope} {l.TraceId} {l.Body}"));
            return all.Any(l => l.Service == Function && l.Body.Contains(marker, StringComparison.Ordinal))
                && all.Any(l => l.Service == Function && IsReport(l.Body, requestId))
                && all.Any(l => l.Service == Api && l.Body.Contains(gatewayRequestId, StringComparison.Ordinal))
                ? all
                : null;
        }, () => logDescription);
        Assert.Contains(logs, l => l.Service == Function && l.Body.Contains(marker, StringComparison.Ordinal) && l.TraceId == trace[0].TraceId);

        // Lambda's platform records under the function's resource, the stage's access log under the API's; neither under LocalAws's.
        Assert.Contains(logs, l => l.Service == Function && l.Scope == $"Tap.LocalAws.Lambda.{fixture.FunctionName}" && IsReport(l.Body, requestId) && l.TraceId == trace[0].TraceId);
        Assert.Contains(logs, l => l.Service == Api && l.Scope == $"Tap.LocalAws.HttpApi.{Api}.AccessLog" && l.Body.Contains(gatewayRequestId, StringComparison.Ordinal) && l.TraceId == trace[0].TraceId);
        Assert.DoesNotContain(logs, l => l.Service == "localaws" && (IsReport(l.Body, requestId) || l.Body.Contains(gatewayRequestId, StringComparison.Ordinal)));
    }

    private static string Api => TapApplication.HttpApi.Name;

    private static string Function => TapApplication.Function.Name;

    /// <summary>Lambda's REPORT line: text, or (the function logs JSON) a <c>platform.report</c> record.</summary>
    private static bool IsReport(string line, string requestId) =>
        line.StartsWith($"REPORT RequestId: {requestId}", StringComparison.Ordinal)
        || (line.Contains("\"type\":\"platform.report\"", StringComparison.Ordinal) && line.Contains($"\"requestId\":\"{requestId}\"", StringComparison.Ordinal));

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, Func<string> describe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TelemetryWait;
        while (true)
        {
            if (await probe() is { } result)
            {
                return result;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the dashboard did not receive the telemetry in time; it holds:\n{describe()}");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
