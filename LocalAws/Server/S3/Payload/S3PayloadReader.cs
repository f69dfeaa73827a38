using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Tap.Aws.Signing;

namespace Tap.LocalAws.S3.Payload;

/// <summary>What an upload's body turned out to be, every declaration about it checked.</summary>
/// <param name="Length">The object's bytes (the decoded length for <c>aws-chunked</c>).</param>
/// <param name="Md5">Its MD5, the ETag of a single-part object.</param>
/// <param name="Checksums">Each checksum computed, as raw bytes.</param>
internal sealed record Payload(long Length, byte[] Md5, IReadOnlyDictionary<S3ChecksumAlgorithm, byte[]> Checksums);

/// <summary>
/// Reads an upload's body as the client framed and signed it, into a destination, and checks what the client
/// declared: the signed payload hash (<c>x-amz-content-sha256</c>), each chunk's signature and the trailer's for
/// <c>STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]</c>, <c>Content-MD5</c>, the <c>x-amz-checksum-*</c> header or
/// trailer, and the declared lengths. Any mismatch throws S3's error; the caller then discards what was written.
/// </summary>
internal static class S3PayloadReader
{
    private const int HexHashLength = 64;

    /// <param name="request">The request, its body unread.</param>
    /// <param name="signing">The verified signature's chunk-signing context, for the signed streaming modes.</param>
    /// <param name="destination">Where the object's bytes go.</param>
    /// <param name="maxBytes">The largest object accepted.</param>
    /// <param name="extra">A checksum to compute although the request carries none (a multipart upload's algorithm).</param>
    public static async Task<Payload> ReadAsync(
        HttpRequest request, ChunkSigningContext? signing, Stream destination, long maxBytes, S3ChecksumAlgorithm? extra, CancellationToken cancellationToken)
    {
        var mode = request.Headers[SigV4Constants.Headers.XAmzContentSha256].ToString();
        var streaming = mode is SigV4Constants.StreamingSignedPayload or SigV4Constants.StreamingSignedPayloadTrailer or SigV4Constants.StreamingUnsignedPayloadTrailer;
        var signedHash = mode.Length == HexHashLength && mode.All(char.IsAsciiHexDigitLower) ? mode : null;
        if (!streaming && signedHash is null && mode is not (SigV4Constants.UnsignedPayload or ""))
        {
            throw S3Errors.InvalidArgument("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.");
        }

        var declaredLength = streaming ? DecodedLength(request) : request.ContentLength;
        if (declaredLength > maxBytes)
        {
            throw S3Errors.EntityTooLarge(maxBytes);
        }

        var (checksumHeader, trailerAlgorithm) = DeclaredChecksums(request, streaming);
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            // The framing adds a little to the object's bytes; the sink enforces the object's own cap exactly.
            limit.MaxRequestBodySize = maxBytes + (maxBytes / 64) + 65536;
        }

        S3ChecksumAlgorithm?[] computed = [checksumHeader?.Algorithm, trailerAlgorithm, extra];
        using var sink = new PayloadSink(destination, maxBytes, signedHash is not null, computed.OfType<S3ChecksumAlgorithm>());
        IReadOnlyList<KeyValuePair<string, string>> trailer = [];
        try
        {
            if (streaming)
            {
                var signed = mode != SigV4Constants.StreamingUnsignedPayloadTrailer;
                if (signed && signing is null)
                {
                    throw S3Errors.InvalidRequest("A streaming signed payload needs header authentication.");
                }

                trailer = await ReadChunkedAsync(request.Body, signed ? signing : null, mode != SigV4Constants.StreamingSignedPayload, sink, cancellationToken);
            }
            else
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await sink.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        catch (BadHttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? S3Errors.EntityTooLarge(maxBytes) : S3Errors.IncompleteBody();
        }

        if (declaredLength is { } length && length != sink.Length)
        {
            throw S3Errors.IncompleteBody();
        }

        if (signedHash is not null && !string.Equals(signedHash, sink.Sha256Hex(), StringComparison.Ordinal))
        {
            throw S3Errors.Error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var md5 = sink.Md5();
        if (request.Headers.ContentMD5.ToString() is { Length: > 0 } contentMd5 && !Matches(contentMd5, md5))
        {
            throw S3Errors.Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }

        var checksums = sink.Checksums();
        if (checksumHeader is { } header && !Matches(header.Value, checksums[header.Algorithm]))
        {
            throw S3Errors.BadDigest(header.Algorithm.Name());
        }

        if (trailerAlgorithm is { } fromTrailer)
        {
            var value = trailer.FirstOrDefault(t => t.Key == fromTrailer.HeaderName()).Value
                ?? throw S3Errors.InvalidRequest($"The trailer declared by x-amz-trailer ({fromTrailer.HeaderName()}) was not sent.");
            if (!Matches(value, checksums[fromTrailer]))
            {
                throw S3Errors.BadDigest(fromTrailer.Name());
            }
        }

        return new Payload(sink.Length, md5, checksums);
    }

    /// <summary>The checksum in an <c>x-amz-checksum-*</c> header, and the one <c>x-amz-trailer</c> says will follow.</summary>
    private static ((S3ChecksumAlgorithm Algorithm, string Value)? Header, S3ChecksumAlgorithm? Trailer) DeclaredChecksums(HttpRequest request, bool streaming)
    {
        (S3ChecksumAlgorithm, string)? header = null;
        foreach (var (name, value) in request.Headers)
        {
            if (S3ChecksumAlgorithms.FromHeaderName(name) is { } algorithm)
            {
                header = header is null ? (algorithm, value.ToString()) : throw S3Errors.InvalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
            }
        }

        S3ChecksumAlgorithm? trailer = null;
        if (request.Headers["x-amz-trailer"].ToString() is { Length: > 0 } declared)
        {
            trailer = streaming && S3ChecksumAlgorithms.FromHeaderName(declared.Trim()) is { } algorithm
                ? algorithm
                : throw S3Errors.InvalidRequest($"The value specified in the x-amz-trailer header is not supported: {declared}");
        }

        return (header, trailer);
    }

    private static long DecodedLength(HttpRequest request) =>
        long.TryParse(request.Headers["x-amz-decoded-content-length"].ToString(), System.Globalization.CultureInfo.InvariantCulture, out var length) && length >= 0
            ? length
            : throw S3Errors.Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");

    private static async Task<IReadOnlyList<KeyValuePair<string, string>>> ReadChunkedAsync(
        Stream body, ChunkSigningContext? signing, bool hasTrailer, PayloadSink sink, CancellationToken cancellationToken)
    {
        var reader = new ChunkedBodyReader(body);
        var previous = signing?.SeedSignature;
        using var chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        while (true)
        {
            var chunk = await reader.ReadChunkHeaderAsync(cancellationToken);
            if ((chunk.Signature is null) != (signing is null))
            {
                throw ChunkedBodyReader.Malformed();
            }

            if (chunk.Size > 0)
            {
                await reader.ReadChunkDataAsync(chunk.Size, async data =>
                {
                    chunkHash.AppendData(data.Span);
                    await sink.WriteAsync(data, cancellationToken);
                }, cancellationToken);
            }

            var dataHash = Convert.ToHexStringLower(chunkHash.GetHashAndReset());
            if (signing is not null)
            {
                previous = signing.Verify(previous!, dataHash, chunk.Signature!);
            }

            if (chunk.Size == 0)
            {
                break;
            }
        }

        if (!hasTrailer)
        {
            // The last chunk's CRLF; nothing may follow it.
            var rest = await reader.ReadTrailerAsync(cancellationToken);
            return rest.Count == 0 && !await reader.HasMoreAsync(cancellationToken) ? rest : throw ChunkedBodyReader.Malformed();
        }

        var trailer = await reader.ReadTrailerAsync(cancellationToken);
        if (signing is not null)
        {
            var signature = trailer.FirstOrDefault(t => t.Key == "x-amz-trailer-signature").Value ?? throw ChunkedBodyReader.Malformed();
            var signedPart = trailer.Where(t => t.Key != "x-amz-trailer-signature").Select(t => $"{t.Key}:{t.Value}\n");
            signing.VerifyTrailer(previous!, string.Concat(signedPart), signature);
        }

        return trailer;
    }

    private static bool Matches(string declaredBase64, byte[] actual)
    {
        Span<byte> declared = stackalloc byte[64];
        return Convert.TryFromBase64String(declaredBase64.Trim(), declared, out var written)
            && CryptographicOperations.FixedTimeEquals(declared[..written], actual);
    }
}
