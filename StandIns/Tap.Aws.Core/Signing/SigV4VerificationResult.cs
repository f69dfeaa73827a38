namespace Tap.Aws.Signing;

/// <summary>Why a request passed or failed SigV4 verification.</summary>
public enum SigV4Status
{
    /// <summary>The signature is valid and current.</summary>
    Valid,

    /// <summary>The request carries no SigV4 authentication at all.</summary>
    MissingAuthentication,

    /// <summary>Authentication is present but malformed or incomplete.</summary>
    IncompleteSignature,

    /// <summary>The access key id (or its session token) is not known.</summary>
    UnknownAccessKey,

    /// <summary>The signature does not match, or the credential scope is wrong for this endpoint.</summary>
    SignatureMismatch,

    /// <summary>The temporary credentials were genuine but have expired.</summary>
    ExpiredToken,

    /// <summary>The signature is outside its validity window (clock skew, or an expired presigned URL).</summary>
    Expired,
}

/// <summary>The outcome of verifying one request. The message never includes the expected signature.</summary>
public sealed record SigV4VerificationResult(SigV4Status Status, string Message, SigV4Authorization? Authorization)
{
    /// <summary>AWS's message for an access key id (or session token) it does not know.</summary>
    public const string UnknownKeyMessage = "The security token included in the request is invalid.";

    /// <summary>AWS's message for temporary credentials past their expiry.</summary>
    public const string ExpiredTokenMessage = "The security token included in the request is expired";

    public bool IsValid => Status == SigV4Status.Valid;

    internal static SigV4VerificationResult Fail(SigV4Status status, string message, SigV4Authorization? authorization = null) =>
        new(status, message, authorization);
}
