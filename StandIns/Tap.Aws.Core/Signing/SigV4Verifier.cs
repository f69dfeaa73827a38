using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Tap.Aws.Signing;

/// <summary>What a verifying endpoint accepts.</summary>
/// <param name="Service">The signing name this endpoint answers to, e.g. <c>secretsmanager</c>.</param>
/// <param name="Region">The region this endpoint is in.</param>
/// <remarks>
/// The request's <see cref="SigV4Request.PayloadHash"/> is what the signature covers. An endpoint that hashes the
/// body first passes that hash; S3, which streams bodies, passes the client's <c>x-amz-content-sha256</c> claim
/// (a hash, <c>UNSIGNED-PAYLOAD</c> or a <c>STREAMING-…</c> mode) and checks the body against it as it reads.
/// </remarks>
public sealed record SigV4VerifierOptions(string Service, string Region);

/// <summary>
/// Verifies SigV4 header and presigned-URL authentication with the same canonicalizer the signer uses. Keeps no
/// replay cache (AWS keeps none); compares signatures in constant time; never reveals the expected signature.
/// </summary>
public sealed class SigV4Verifier(ISigV4CredentialStore credentials, TimeProvider clock)
{
    public SigV4VerificationResult Verify(SigV4Request request, SigV4VerifierOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);

        if (SigV4AuthorizationParser.TryParse(request, out var auth) is { } parseFailure)
        {
            return parseFailure;
        }

        var scope = auth!.Scope;
        if (!scope.Date.AsSpan().SequenceEqual(auth.AmzDate.AsSpan(0, 8)))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch,
                $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope.Date}' != '{auth.AmzDate[..8]}', from '{auth.AmzDate}'.",
                auth);
        }

        if (!string.Equals(scope.Service, options.Service, StringComparison.Ordinal))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch, $"Credential should be scoped to correct service: '{options.Service}'.", auth);
        }

        if (!string.Equals(scope.Region, options.Region, StringComparison.Ordinal))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch,
                $"Credential should be scoped to a valid region, not '{scope.Region}'. Expected '{options.Region}'.", auth);
        }

        if (!Signs(auth, SigV4Constants.Headers.Host, StringComparison.Ordinal))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", auth);
        }

        // A header that selects or changes what the request does must be covered by the signature, or it could be
        // swapped after signing (X-Amz-Target: DescribeSecret -> GetSecretValue). As S3 does: every x-amz-* header.
        if (UnsignedAmzHeaders(request, auth) is { } unsigned)
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch, $"There were headers present in the request which were not signed: {unsigned}", auth);
        }

        if (!credentials.TryGetSecretAccessKey(auth.AccessKeyId, auth.SessionToken, out var secretAccessKey))
        {
            return credentials.HasExpired(auth.AccessKeyId, auth.SessionToken)
                ? SigV4VerificationResult.Fail(SigV4Status.ExpiredToken, SigV4VerificationResult.ExpiredTokenMessage, auth)
                : SigV4VerificationResult.Fail(SigV4Status.UnknownAccessKey, SigV4VerificationResult.UnknownKeyMessage, auth);
        }

        Span<char> expected = stackalloc char[SigningKey.SignatureLength];
        SigV4Signer.ComputeSignature(
            request, auth.SignedHeaders, secretAccessKey, scope, auth.AmzDate,
            auth.IsPresigned ? SigV4Constants.QueryParameters.Signature : null, expected);
        if (!CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected), MemoryMarshal.AsBytes(auth.Signature.AsSpan())))
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.SignatureMismatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
                auth);
        }

        return CheckValidityWindow(auth) ?? new SigV4VerificationResult(SigV4Status.Valid, "OK", auth);
    }

    // Every request passes here, so the common case allocates nothing; the list is built for the error only.
    private static string? UnsignedAmzHeaders(SigV4Request request, SigV4Authorization auth)
    {
        List<string>? unsigned = null;
        var headers = request.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers[i].Key;
            if (name.StartsWith(SigV4Constants.Headers.AmzPrefix, StringComparison.OrdinalIgnoreCase)
                && !Signs(auth, name, StringComparison.OrdinalIgnoreCase))
            {
                (unsigned ??= []).Add(name.ToLowerInvariant());
            }
        }

        return unsigned is null ? null : string.Join(", ", unsigned.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    private static bool Signs(SigV4Authorization auth, string header, StringComparison comparison)
    {
        var signed = auth.SignedHeaders;
        for (var i = 0; i < signed.Count; i++)
        {
            if (string.Equals(signed[i], header, comparison))
            {
                return true;
            }
        }

        return false;
    }

    private SigV4VerificationResult? CheckValidityWindow(SigV4Authorization auth)
    {
        var signedAt = DateTimeOffset.ParseExact(
            auth.AmzDate, SigV4Constants.DateTimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var now = clock.GetUtcNow();

        if (signedAt > now + SigV4Constants.MaxClockSkew)
        {
            return SigV4VerificationResult.Fail(
                SigV4Status.Expired,
                $"Signature not yet current: {auth.AmzDate} is still later than {SigV4Signer.FormatDateTime(now + SigV4Constants.MaxClockSkew)} ({SigV4Signer.FormatDateTime(now)} + 5 min.)",
                auth);
        }

        if (auth.ExpiresSeconds is { } expires)
        {
            var expiresAt = signedAt.AddSeconds(expires);
            return now > expiresAt
                ? SigV4VerificationResult.Fail(
                    SigV4Status.Expired,
                    $"Signature expired: {SigV4Signer.FormatDateTime(expiresAt)} is now earlier than {SigV4Signer.FormatDateTime(now)}",
                    auth)
                : null;
        }

        return signedAt < now - SigV4Constants.MaxClockSkew
            ? SigV4VerificationResult.Fail(
                SigV4Status.Expired,
                $"Signature expired: {auth.AmzDate} is now earlier than {SigV4Signer.FormatDateTime(now - SigV4Constants.MaxClockSkew)} ({SigV4Signer.FormatDateTime(now)} - 5 min.)",
                auth)
            : null;
    }
}
