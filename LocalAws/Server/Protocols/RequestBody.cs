using System.Buffers;
using Microsoft.AspNetCore.Http.Features;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// Reads a request body up to a limit, whatever its transfer encoding (a declared length or chunks): the limit is
/// enforced while reading, so no request ever holds more than the limit in memory, and malformed framing from the
/// client is a client error.
/// </summary>
internal static class RequestBody
{
    /// <summary>The limit of a JSON or Query API request here (a secret value is at most 64 KiB).</summary>
    public const int DefaultMaxBytes = 1024 * 1024;

    private const int ChunkBytes = 16 * 1024;

    /// <summary>The error a JSON or Query service gives for a body over <see cref="DefaultMaxBytes"/>.</summary>
    public static AwsError TooLarge(AwsProtocol protocol) => protocol == AwsProtocol.Json ? JsonTooLarge : QueryTooLarge;

    // Each request hands its service's error to the reader, so it is made once, not per request.
    private static readonly AwsError JsonTooLarge = new(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLargeException", TooLargeMessage);

    private static readonly AwsError QueryTooLarge = new(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", TooLargeMessage);

    private static string TooLargeMessage => $"The request body exceeds {DefaultMaxBytes} bytes.";

    /// <summary>
    /// Reads the body; one over <paramref name="maxBytes"/> is answered with <paramref name="tooLarge"/>. A body up to
    /// twice the limit is read to its end (and dropped) first, so a client still sending it reads the answer rather
    /// than a reset connection; a larger one is refused at once.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, int maxBytes, AwsError tooLarge, AwsProtocol protocol, CancellationToken cancellationToken)
    {
        var drainLimit = 2L * maxBytes;
        if (request.ContentLength > drainLimit)
        {
            throw new AwsServiceException(tooLarge);
        }

        // The server's own limit stops a chunked body there too, should anything else read it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = drainLimit;
        }

        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? ChunkBytes, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            long total = 0;
            var tooLong = false;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                total += read;
                if (total > drainLimit)
                {
                    throw new AwsServiceException(tooLarge);
                }

                tooLong |= total > maxBytes;
                if (!tooLong)
                {
                    buffer.Write(chunk, 0, read);
                }
            }

            if (tooLong)
            {
                throw new AwsServiceException(tooLarge);
            }
        }
        catch (BadHttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? new AwsServiceException(tooLarge)
                : new AwsServiceException(new AwsError(StatusCodes.Status400BadRequest, BadRequestCode(protocol), "The request body could not be read: " + ex.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        // A body of the length it declared filled the stream's array exactly: that array is the body, uncopied.
        return buffer.Length == buffer.Capacity ? buffer.GetBuffer() : buffer.ToArray();
    }

    private static string BadRequestCode(AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Json => "SerializationException",
        AwsProtocol.RestJson => "InvalidRequestContentException",
        _ => "MalformedInput",
    };
}
