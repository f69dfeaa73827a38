namespace Tap.Function;

/// <summary>The body of a 500 answer. Deliberately generic: details go to the log, not to the caller.</summary>
internal sealed record ErrorResponse(string Error, string Message, string RequestId)
{
    public const string InternalServerError = "Internal server error";
    public const string FailedToProcess = "Failed to process request";

    /// <summary>Exception-handler delegate: the exception itself was already logged by the middleware.</summary>
    public static Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var body = new ErrorResponse(InternalServerError, FailedToProcess, context.TraceIdentifier);
        return context.Response.WriteAsJsonAsync(body, FunctionJsonContext.Default.ErrorResponse);
    }
}
