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

            // REST services answer with the JSON code and the status the failure deserves.
            AwsProtocol.RestJson => new AwsError(result.Status == SigV4Status.IncompleteSignature ? 400 : 403, json, result.Message),
            _ => new AwsError(queryStatus, query, result.Message),
        };
    }

    /// <summary>The error for a call IAM denies.</summary>
    public static AwsError AccessDenied(string message, AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Json => new AwsError(400, "AccessDeniedException", message),
        AwsProtocol.RestJson => new AwsError(403, "AccessDeniedException", message),
        _ => new AwsError(403, "AccessDenied", message),
    };
}
