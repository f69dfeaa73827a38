namespace Tap.Function;

/// <summary>The body of a 500 answer. Deliberately generic: details go to the log, not to the caller.</summary>
internal sealed record ErrorResponse(string Error, string Message, string RequestId)
{
    public const string InternalServerError = "Internal server error";
    public const string FailedToProcess = "Failed to process request";

    public static ErrorResponse For(HttpContext context) => new(InternalServerError, FailedToProcess, context.TraceIdentifier);

    /// <summary>Exception-handler delegate: the exception itself was already logged by the middleware.</summary>
    public static Task WriteAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        return context.Response.WriteAsJsonAsync(For(context), FunctionJsonContext.Default.ErrorResponse);
    }

    /// <summary>The same answer as a result, for failures the endpoint has already logged.</summary>
    public static IResult Result(HttpContext context) =>
        TypedResults.Json(For(context), FunctionJsonContext.Default.ErrorResponse, statusCode: StatusCodes.Status500InternalServerError);
}
