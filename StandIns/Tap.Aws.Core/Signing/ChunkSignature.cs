namespace Tap.Aws.Signing;

/// <summary>
/// The signatures of S3's signed <c>aws-chunked</c> bodies: each chunk is signed over the previous signature (the
/// request's seed signature for the first), so chunks cannot be dropped, reordered or altered; the trailing headers
/// are signed the same way over the last chunk's.
/// </summary>
public static class ChunkSignature
{
    /// <summary>The signature of one chunk whose data hashes to <paramref name="chunkHash"/> (lower-case hex).</summary>
    public static string OfChunk(byte[] signingKey, string amzDate, CredentialScope scope, string previousSignature, string chunkHash)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return SigningKey.Sign(signingKey, string.Join('\n',
            SigV4Constants.ChunkAlgorithm, amzDate, scope.ToString(), previousSignature, SigV4Constants.EmptyPayloadHash, chunkHash));
    }

    /// <summary>The signature of the trailer, whose canonical form is <c>name:value\n</c> per header.</summary>
    public static string OfTrailer(byte[] signingKey, string amzDate, CredentialScope scope, string previousSignature, string canonicalTrailer)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return SigningKey.Sign(signingKey, string.Join('\n',
            SigV4Constants.TrailerAlgorithm, amzDate, scope.ToString(), previousSignature, CanonicalRequest.HexSha256(canonicalTrailer)));
    }
}
