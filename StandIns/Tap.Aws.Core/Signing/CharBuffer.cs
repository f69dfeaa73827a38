using System.Buffers;

namespace Tap.Aws.Signing;

/// <summary>
/// Text built in a caller's stack buffer, moving to a pooled array only when it outgrows it: every signed or verified
/// request builds its canonical request and string to sign only to hash them, so they need never become strings.
/// </summary>
internal ref struct CharBuffer(Span<char> initial)
{
    private Span<char> _chars = initial;
    private char[]? _rented;
    private int _length;

    public readonly ReadOnlySpan<char> Text => _chars[.._length];

    public void Append(char value)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = value;
    }

    public void Append(scoped ReadOnlySpan<char> value)
    {
        if (_length + value.Length > _chars.Length)
        {
            Grow(value.Length);
        }

        value.CopyTo(_chars[_length..]);
        _length += value.Length;
    }

    public override readonly string ToString() => new(Text);

    /// <summary>Returns the pooled array, if one was needed.</summary>
    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    private void Grow(int needed)
    {
        var larger = ArrayPool<char>.Shared.Rent(Math.Max(_chars.Length * 2, _length + needed));
        Text.CopyTo(larger);
        Dispose();
        _rented = larger;
        _chars = larger;
    }
}
