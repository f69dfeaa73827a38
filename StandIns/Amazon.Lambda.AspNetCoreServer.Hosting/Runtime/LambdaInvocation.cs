using System.Globalization;
using Amazon.Lambda.Core;

namespace Tap.Aws.Lambda.Hosting.Runtime;

/// <summary>One event handed out by the Runtime API's <c>/invocation/next</c>.</summary>
internal sealed record LambdaInvocation(
    string AwsRequestId,
    DateTimeOffset Deadline,
    string InvokedFunctionArn,
    string TraceId,
    byte[] Event,
    TimeProvider Clock) : ILambdaContext
{
    // Lambda describes the function in its environment; it does not change while the process lives.
    private static readonly string FunctionNameValue = Variable("AWS_LAMBDA_FUNCTION_NAME");
    private static readonly string FunctionVersionValue = Variable("AWS_LAMBDA_FUNCTION_VERSION");
    private static readonly string LogGroupNameValue = Variable("AWS_LAMBDA_LOG_GROUP_NAME");
    private static readonly string LogStreamNameValue = Variable("AWS_LAMBDA_LOG_STREAM_NAME");
    private static readonly int MemoryLimitValue =
        int.TryParse(Variable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var mb) ? mb : 0;

    public string FunctionName => FunctionNameValue;

    public string FunctionVersion => FunctionVersionValue;

    public string LogGroupName => LogGroupNameValue;

    public string LogStreamName => LogStreamNameValue;

    public int MemoryLimitInMB => MemoryLimitValue;

    public TimeSpan RemainingTime => Deadline - Clock.GetUtcNow();

    private static string Variable(string name) => Environment.GetEnvironmentVariable(name) ?? string.Empty;
}
