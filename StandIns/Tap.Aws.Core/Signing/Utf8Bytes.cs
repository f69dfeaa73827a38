using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Tap.Aws.Signing;

/// <summary>
/// SHA-256 and HMAC-SHA256 of text's UTF-8 bytes without a heap array per call: every signed or verified request
/// hashes its canonical request and its string to sign, so this sits on the hot path.
/// </summary>
internal static class Utf8Bytes
{
    private const int StackLimit = 1024;

    public static void Sha256(ReadOnlySpan<char> text, Span<byte> hash)
    {
        Span<byte> stack = stackalloc byte[StackLimit];
        var bytes = Encode(text, stack, out var rented);
        try
        {
            SHA256.HashData(bytes, hash);
        }
        finally
        {
            Return(rented);
        }
    }

    public static void HmacSha256(ReadOnlySpan<byte> key, ReadOnlySpan<char> text, Span<byte> hash)
    {
        Span<byte> stack = stackalloc byte[StackLimit];
        var bytes = Encode(text, stack, out var rented);
        try
        {
            HMACSHA256.HashData(key, bytes, hash);
        }
        finally
        {
            Return(rented);
        }
    }

    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> text, Span<byte> stack, out byte[]? rented)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        rented = length > stack.Length ? ArrayPool<byte>.Shared.Rent(length) : null;
        var buffer = rented is null ? stack : rented;
        return buffer[..Encoding.UTF8.GetBytes(text, buffer)];
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
