using Tap.Aws.Protocol;
using Tap.Aws.Signing;

namespace Tap.Aws.Errors;

/// <summary>An error as an AWS service returns it: HTTP status, error code and message.</summary>
public sealed record AwsError(int StatusCode, string Code, string Message)
{
    /// <summary>The error a JSON or Query service returns for a failed SigV4 verification.</summary>
    public static AwsError FromVerification(SigV4VerificationResult result, AwsProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(result);
        var (json, query, queryStatus) = result.Status switch
        {
            SigV4Status.MissingAuthentication => ("MissingAuthenticationTokenException", "MissingAuthenticationToken", 403),
            SigV4Status.UnknownAccessKey => ("UnrecognizedClientException", "InvalidClientTokenId", 403),
            SigV4Status.ExpiredToken => ("ExpiredTokenException", "ExpiredToken", 403),
            SigV4Status.IncompleteSignature => ("IncompleteSignatureException", "IncompleteSignature", 400),
            SigV4Status.SignatureMismatch or SigV4Status.Expired => ("InvalidSignatureException", "SignatureDoesNotMatch", 403),
            _ => throw new ArgumentException("A valid request has no error.", nameof(result)),
        };

        return protocol switch
        {
            AwsProtocol.Json => new AwsError(400, json, result.Message),
            AwsProtocol.RestXml => S3Verification(result),

            // REST services answer with the JSON code and the status the failure deserves.
            AwsProtocol.RestJson => new AwsError(result.Status == SigV4Status.IncompleteSignature ? 400 : 403, json, result.Message),
            _ => new AwsError(queryStatus, query, result.Message),
        };
    }

    /// <summary>The error for a call IAM denies.</summary>
    /// <param name="code">The service's own code for it, when it has one (SNS's <c>AuthorizationError</c>).</param>
    public static AwsError AccessDenied(string message, AwsProtocol protocol, string? code = null) => protocol switch
    {
        AwsProtocol.RestXml => new AwsError(403, code ?? "AccessDenied", message),
        AwsProtocol.Json => new AwsError(400, code ?? "AccessDeniedException", message),
        AwsProtocol.RestJson => new AwsError(403, code ?? "AccessDeniedException", message),
        _ => new AwsError(403, code ?? "AccessDenied", message),
    };

    /// <summary>S3's own codes: an unsigned request is anonymous, which no bucket here admits.</summary>
    private static AwsError S3Verification(SigV4VerificationResult result) => result.Status switch
    {
        SigV4Status.MissingAuthentication => new AwsError(403, "AccessDenied", "Access Denied"),
        SigV4Status.UnknownAccessKey => new AwsError(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."),
        SigV4Status.ExpiredToken => new AwsError(400, "ExpiredToken", "The provided token has expired."),
        SigV4Status.IncompleteSignature => new AwsError(400, "AuthorizationHeaderMalformed", result.Message),
        SigV4Status.Expired when result.Authorization is { IsPresigned: true } => new AwsError(403, "AccessDenied", "Request has expired"),
        SigV4Status.Expired => new AwsError(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large."),
        _ => new AwsError(403, "SignatureDoesNotMatch", result.Message),
    };
}
