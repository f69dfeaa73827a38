namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>How an invocation ended: the function's response, or an error payload in Lambda's shape.</summary>
/// <param name="Payload">The response, or <c>{"errorType", "errorMessage", …}</c> for a failure.</param>
/// <param name="FunctionError"><c>Unhandled</c> for a failure (Lambda's <c>X-Amz-Function-Error</c>), else <see langword="null"/>.</param>
/// <param name="LogTail">The invocation's platform log lines (and the error, for a failure), for <c>X-Amz-Log-Type: Tail</c>.</param>
public sealed record InvocationResult(byte[] Payload, string? FunctionError, string LogTail)
{
    public const string Unhandled = "Unhandled";

    public bool Failed => FunctionError is not null;
}
