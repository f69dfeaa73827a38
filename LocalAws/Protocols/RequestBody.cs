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
    /// <summary>The largest body an AWS API request here may carry (a secret value is at most 64 KiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int ChunkBytes = 16 * 1024;

    public static async Task<byte[]> ReadAsync(HttpRequest request, AwsProtocol protocol, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge(protocol);
        }

        // The server's own limit stops a chunked body at the same size, should anything else read it.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBytes;
        }

        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? ChunkBytes, MaxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw TooLarge(protocol);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(protocol)
                : new AwsServiceException(new AwsError(StatusCodes.Status400BadRequest, BadRequestCode(protocol), "The request body could not be read: " + ex.Message));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private static AwsServiceException TooLarge(AwsProtocol protocol) => new(new AwsError(
        StatusCodes.Status413PayloadTooLarge,
        protocol == AwsProtocol.Json ? "RequestEntityTooLargeException" : "RequestEntityTooLarge",
        $"The request body exceeds {MaxBytes} bytes."));

    private static string BadRequestCode(AwsProtocol protocol) => protocol == AwsProtocol.Json ? "SerializationException" : "MalformedInput";
}
