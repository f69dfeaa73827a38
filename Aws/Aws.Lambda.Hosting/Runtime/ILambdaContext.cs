namespace Amazon.Lambda.Core;

/// <summary>The invocation a request belongs to (a subset of Amazon.Lambda.Core's ILambdaContext).</summary>
public interface ILambdaContext
{
    /// <summary>The Lambda request id; also the request's <c>HttpContext.TraceIdentifier</c>.</summary>
    string AwsRequestId { get; }

    string InvokedFunctionArn { get; }

    /// <summary>The X-Ray trace header Lambda passed (<c>Lambda-Runtime-Trace-Id</c>), if any.</summary>
    string? TraceId { get; }

    DateTimeOffset Deadline { get; }

    TimeSpan RemainingTime { get; }
}
