namespace Tap.Aws.Signing;

/// <summary>The SigV4 parameters a request carries, from its <c>Authorization</c> header or its query string.</summary>
/// <param name="AccessKeyId">The access key id of the credential.</param>
/// <param name="Scope">The credential scope.</param>
/// <param name="SignedHeaders">The signed header names, as listed.</param>
/// <param name="Signature">The hex signature.</param>
/// <param name="AmzDate">The request time, <c>yyyyMMddTHHmmssZ</c>.</param>
/// <param name="SessionToken">The session token, for temporary credentials.</param>
/// <param name="ExpiresSeconds">For presigned URLs, <c>X-Amz-Expires</c>; <see langword="null"/> for header authentication.</param>
public sealed record SigV4Authorization(
    string AccessKeyId,
    CredentialScope Scope,
    IReadOnlyList<string> SignedHeaders,
    string Signature,
    string AmzDate,
    string? SessionToken,
    int? ExpiresSeconds)
{
    public bool IsPresigned => ExpiresSeconds is not null;
}
