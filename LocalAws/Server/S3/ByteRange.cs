using System.Globalization;

namespace Tap.LocalAws.S3;

/// <summary>A <c>Range: bytes=…</c> request, resolved against an object's size as S3 does.</summary>
internal readonly record struct ByteRange(long First, long Last)
{
    public long Length => Last - First + 1;

    /// <summary>
    /// The range <paramref name="header"/> asks for: <see langword="null"/> for none, a malformed one or several ranges
    /// (S3 then returns the whole object); S3's InvalidRange (416) for one that starts past the end.
    /// </summary>
    public static ByteRange? Parse(string? header, long size)
    {
        const string Unit = "bytes=";
        if (string.IsNullOrEmpty(header) || !header.StartsWith(Unit, StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header.AsSpan(Unit.Length).Trim();
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.IsEmpty)
        {
            // A suffix: the last n bytes.
            if (!TryParse(lastText, out var suffix) || suffix == 0)
            {
                return suffix == 0 && !lastText.IsEmpty ? throw Unsatisfiable(size) : null;
            }

            return size == 0 ? throw Unsatisfiable(size) : new ByteRange(Math.Max(0, size - suffix), size - 1);
        }

        if (!TryParse(firstText, out var first))
        {
            return null;
        }

        long last = size - 1;
        if (!lastText.IsEmpty)
        {
            if (!TryParse(lastText, out last) || last < first)
            {
                return null;
            }
        }

        return first >= size ? throw Unsatisfiable(size) : new ByteRange(first, Math.Min(last, size - 1));
    }

    public string ContentRange(long size) => string.Create(CultureInfo.InvariantCulture, $"bytes {First}-{Last}/{size}");

    private static bool TryParse(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static Protocols.AwsServiceException Unsatisfiable(long size) =>
        S3Errors.Error(416, "InvalidRange", $"The requested range is not satisfiable (the object has {size} bytes)");
}
