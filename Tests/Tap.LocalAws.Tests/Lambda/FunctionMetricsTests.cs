using System.Net;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.Telemetry;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>AWS/Lambda's metrics for invocations through the Invoke API: concurrency while one runs, and a throttle.</summary>
public sealed class FunctionMetricsTests
{
    private const string Function = "busy";

    [Fact]
    public async Task An_invocation_no_busy_environment_takes_in_time_is_a_throttle_and_a_running_one_a_concurrent_execution()
    {
        var metrics = new ExportedMetrics();
        await using var host = LambdaTestHost.Start(
            new LocalAwsSettings { Functions = [LambdaTestHost.Function(Function, timeout: 10)], InvocationQueueTimeoutSeconds = 1 },
            metrics.Register);
        metrics.Attach(host);
        using var environment = host.Environment(Function);
        var dimension = ("FunctionName", Function);

        var next = environment.NextAsync(TestContext.Current.CancellationToken);
        var running = host.InvokeAsync(Function, "{}");
        var @event = await next;
        using (var refused = await host.InvokeAsync(Function, "{}"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        metrics.Flush(Function, isFunction: true);
        Assert.Equal(1, metrics.Sum(Function, "aws.lambda.Throttles", dimension));
        Assert.Equal(1, metrics.Sum(Function, "aws.lambda.ConcurrentExecutions", dimension));
        Assert.Equal(0, metrics.Sum(Function, "aws.lambda.Invocations", dimension));

        await environment.ErrorAsync(@event.RequestId, "Function.Failed", "on purpose");
        (await running).Dispose();
        metrics.Flush(Function, isFunction: true);
        Assert.Equal(1, metrics.Sum(Function, "aws.lambda.Invocations", dimension));
        Assert.Equal(1, metrics.Sum(Function, "aws.lambda.Errors", dimension));
        Assert.Equal(0, metrics.Sum(Function, "aws.lambda.ConcurrentExecutions", dimension));
        Assert.Equal(1, metrics.Histogram(Function, "aws.lambda.Duration", dimension).Count);
    }
}
