using System.Buffers;
using System.Text;

namespace Tap.Aws.Signing;

/// <summary>
/// A string's UTF-8 bytes without a heap array per call: every signed or verified request hashes its canonical
/// request and its string to sign, so this sits on the hot path.
/// </summary>
internal static class Utf8Bytes
{
    private const int StackLimit = 1024;

    public delegate TResult SpanFunc<in TState, out TResult>(ReadOnlySpan<byte> bytes, TState state);

    /// <summary>Encodes <paramref name="value"/> into a stack buffer (a pooled one when large) and hands it to <paramref name="use"/>.</summary>
    public static TResult Use<TState, TResult>(string value, TState state, SpanFunc<TState, TResult> use)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(use);
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
            return use(buffer[..Encoding.UTF8.GetBytes(value, buffer)], state);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
