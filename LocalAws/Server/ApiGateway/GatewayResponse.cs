using System.Text.Json;
using Tap.Aws.Signing;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// An answer the gateway gives itself, in API Gateway's shape: a status, <c>{"message": …}</c>, and for an
/// authorization failure the error type in <c>x-amzn-ErrorType</c>.
/// </summary>
internal sealed record GatewayResponse(int StatusCode, string Message, string? ErrorType = null)
{
    public static readonly GatewayResponse Forbidden = new(StatusCodes.Status403Forbidden, "Forbidden", "ForbiddenException");
    public static readonly GatewayResponse BadRequest = new(StatusCodes.Status400BadRequest, "Bad Request");
    public static readonly GatewayResponse NotFound = new(StatusCodes.Status404NotFound, "Not Found");
    public static readonly GatewayResponse TooLarge = new(StatusCodes.Status413PayloadTooLarge, "Request Entity Too Large");
    public static readonly GatewayResponse Throttled = new(StatusCodes.Status429TooManyRequests, "Too Many Requests");
    public static readonly GatewayResponse IntegrationFailed = new(StatusCodes.Status500InternalServerError, "Internal Server Error");
    public static readonly GatewayResponse IntegrationTimedOut = new(StatusCodes.Status503ServiceUnavailable, "Service Unavailable");

    /// <summary>The answer to a request whose SigV4 authentication failed, with AWS's message for the case.</summary>
    public static GatewayResponse FromVerification(SigV4VerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            SigV4Status.MissingAuthentication => Forbidden,
            SigV4Status.UnknownAccessKey => new(StatusCodes.Status403Forbidden, result.Message, "UnrecognizedClientException"),
            SigV4Status.ExpiredToken => new(StatusCodes.Status403Forbidden, result.Message, "ExpiredTokenException"),
            SigV4Status.IncompleteSignature => new(StatusCodes.Status403Forbidden, result.Message, "IncompleteSignatureException"),
            _ => new(StatusCodes.Status403Forbidden, result.Message, "InvalidSignatureException"),
        };
    }

    /// <summary>IAM denied <c>execute-api:Invoke</c>, worded as API Gateway words it.</summary>
    public static GatewayResponse AccessDenied(string callerArn, string resource, bool explicitDeny) => new(
        StatusCodes.Status403Forbidden,
        $"User: {callerArn} is not authorized to perform: {ExecuteApiArn.InvokeAction} on resource: {resource}{(explicitDeny ? " with an explicit deny" : string.Empty)}",
        "AccessDeniedException");

    /// <summary>Writes the answer; returns the body's length, for the access log.</summary>
    public async Task<int> WriteAsync(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Body(Message), GatewayJsonContext.Default.Body);
        response.StatusCode = StatusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        if (ErrorType is not null)
        {
            response.Headers["x-amzn-ErrorType"] = ErrorType;
        }

        await response.Body.WriteAsync(body, response.HttpContext.RequestAborted);
        return body.Length;
    }

    /// <summary>API Gateway's error body.</summary>
    internal sealed record Body(string Message);
}
