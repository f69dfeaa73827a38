using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Tap.Aws.Signing;

namespace Tap.LocalAws.S3.Payload;

/// <summary>What a signed <c>aws-chunked</c> body's chunk signatures are checked against: the request's verified seed signature and signing key.</summary>
internal sealed class ChunkSigningContext(byte[] signingKey, SigV4Authorization authorization)
{
    public string SeedSignature => authorization.Signature;

    /// <summary>Checks one chunk's signature; returns it, the next chunk's previous signature.</summary>
    public string Verify(string previousSignature, string chunkHash, string signature)
    {
        var expected = ChunkSignature.OfChunk(signingKey, authorization.AmzDate, authorization.Scope, previousSignature, chunkHash);
        return Same(expected, signature) ? signature : throw Mismatch();
    }

    public void VerifyTrailer(string previousSignature, string canonicalTrailer, string signature)
    {
        var expected = ChunkSignature.OfTrailer(signingKey, authorization.AmzDate, authorization.Scope, previousSignature, canonicalTrailer);
        if (!Same(expected, signature))
        {
            throw Mismatch();
        }
    }

    private static bool Same(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(expected.AsSpan()), MemoryMarshal.AsBytes(actual.AsSpan()));

    private static Protocols.AwsServiceException Mismatch() => S3Errors.Error(403, "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
}
