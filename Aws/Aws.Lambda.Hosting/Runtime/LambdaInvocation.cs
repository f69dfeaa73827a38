using Amazon.Lambda.Core;

namespace Amazon.Lambda.AspNetCoreServer.Hosting.Runtime;

/// <summary>One event handed out by the Runtime API's <c>/invocation/next</c>.</summary>
internal sealed record LambdaInvocation(
    string AwsRequestId,
    DateTimeOffset Deadline,
    string InvokedFunctionArn,
    string? TraceId,
    byte[] Event,
    TimeProvider Clock) : ILambdaContext
{
    public TimeSpan RemainingTime => Deadline - Clock.GetUtcNow();
}
