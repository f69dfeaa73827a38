namespace Tap.LocalAws.S3.Storage;

/// <summary>
/// Orders strings as S3 lists keys: by their UTF-8 bytes, which is code point order. (Ordinal comparison of UTF-16
/// puts U+E000–U+FFFF after the supplementary planes.)
/// </summary>
internal sealed class Utf8Ordinal : IComparer<string>
{
    public static Utf8Ordinal Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var length = Math.Min(x.Length, y.Length);
        for (var i = 0; i < length; i++)
        {
            if (x[i] != y[i])
            {
                return Weight(x[i]) - Weight(y[i]);
            }
        }

        return x.Length - y.Length;
    }

    // Surrogates (supplementary code points) sort after every BMP character.
    private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;
}
