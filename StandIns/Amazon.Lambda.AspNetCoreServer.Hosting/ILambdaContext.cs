namespace Amazon.Lambda.Core;

/// <summary>
/// The invocation a request belongs to: the members of Amazon.Lambda.Core's <c>ILambdaContext</c> that this adapter
/// can fill (not <c>ClientContext</c>, <c>Identity</c> or <c>Logger</c>: use <c>ILogger</c>).
/// </summary>
public interface ILambdaContext
{
    /// <summary>The Lambda request id; also the request's <c>HttpContext.TraceIdentifier</c>.</summary>
    string AwsRequestId { get; }

    string FunctionName { get; }

    string FunctionVersion { get; }

    string InvokedFunctionArn { get; }

    string LogGroupName { get; }

    string LogStreamName { get; }

    int MemoryLimitInMB { get; }

    TimeSpan RemainingTime { get; }

    /// <summary>The X-Ray trace header Lambda passed (<c>Lambda-Runtime-Trace-Id</c>), or empty.</summary>
    string TraceId { get; }
}
