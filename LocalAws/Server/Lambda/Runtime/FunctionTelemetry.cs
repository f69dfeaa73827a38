using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tap.LocalAws.Telemetry;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// A Lambda function's telemetry under its own resource: its platform records and its processes' lines (category
/// <c>Tap.LocalAws.Lambda.{name}</c>) and CloudWatch's <c>AWS/Lambda</c> metrics with their meaning, units and the
/// <c>FunctionName</c> dimension, each named <c>aws.lambda.</c> and CloudWatch's metric name. CloudWatch reports Init
/// Duration only in the <c>REPORT</c> line; <c>tap.lambda.InitDuration</c> is it as a metric, one per cold start.
/// <c>Errors</c> and <c>Throttles</c> count 0 or 1 per invocation, so their sums are exact and both exist from the
/// first invocation on.
/// </summary>
internal sealed class FunctionTelemetry
{
    private readonly Counter<long> _invocations;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _throttles;
    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _concurrentExecutions;
    private readonly Histogram<double> _initDuration;

    public FunctionTelemetry(ResourceTelemetry resource)
    {
        Resource = resource;
        Logger = resource.CreateLogger();
        var meter = resource.Meter;
        _invocations = meter.CreateCounter<long>("aws.lambda.Invocations", "{invocation}", "Invocations of the function's code, failed ones included (CloudWatch AWS/Lambda Invocations).");
        _errors = meter.CreateCounter<long>("aws.lambda.Errors", "{invocation}", "Invocations that ended in a function error, a timeout or the runtime's exit: 1, else 0 (CloudWatch AWS/Lambda Errors).");
        _throttles = meter.CreateCounter<long>("aws.lambda.Throttles", "{invocation}", "Invocation requests refused for want of concurrency (CloudWatch AWS/Lambda Throttles).");
        _duration = meter.CreateHistogram("aws.lambda.Duration", "ms", "The function's time on an invocation, from the hand-off to its answer (CloudWatch AWS/Lambda Duration).",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 900000] });
        _concurrentExecutions = meter.CreateUpDownCounter<long>("aws.lambda.ConcurrentExecutions", "{execution}", "Execution environments processing an event now (CloudWatch AWS/Lambda ConcurrentExecutions).");
        _initDuration = meter.CreateHistogram("tap.lambda.InitDuration", "ms", "A new execution environment's start, to its first Runtime API poll: the Init Duration of Lambda's REPORT line.",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] });
    }

    public ResourceTelemetry Resource { get; }

    /// <summary>Where the platform records and the function's own lines go.</summary>
    public ILogger Logger { get; }

    /// <summary>An environment took an invocation.</summary>
    public void Started(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _concurrentExecutions.Add(1, Dimensions(function));
    }

    /// <summary>An invocation an environment took has ended.</summary>
    public void Ended(LambdaFunction function, InvocationMeasurements measured, bool failed)
    {
        ArgumentNullException.ThrowIfNull(function);
        var tags = Dimensions(function);
        _concurrentExecutions.Add(-1, tags);
        _invocations.Add(1, tags);
        _errors.Add(failed ? 1 : 0, tags);
        _throttles.Add(0, tags);
        _duration.Record(measured.Duration.TotalMilliseconds, tags);
        if (measured.InitDuration is { } init)
        {
            _initDuration.Record(init.TotalMilliseconds, tags);
        }
    }

    /// <summary>An invocation failed as its function's latest start did: no environment ran it, but Lambda counts the error.</summary>
    public void FailedToInitialize(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var tags = Dimensions(function);
        _invocations.Add(1, tags);
        _errors.Add(1, tags);
    }

    /// <summary>An invocation request was refused with <c>TooManyRequestsException</c>.</summary>
    public void Throttled(LambdaFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        _throttles.Add(1, Dimensions(function));
    }

    private static TagList Dimensions(LambdaFunction function) => new() { { "FunctionName", function.Name } };
}
