using System.Text;

namespace Tap.Aws.Signing;

/// <summary>
/// AWS's URI encoding: every byte of the UTF-8 form except the unreserved characters <c>A-Z a-z 0-9 - _ . ~</c> is
/// written as <c>%XX</c> with upper-case hex. (System.Uri's escaping differs in which characters it keeps.)
/// </summary>
public static class UriEncoding
{
    public static string Encode(string value, bool encodeSlash = true)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (IsUnreserved((char)rune.Value) || (!encodeSlash && rune.Value == '/')))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < length; i++)
            {
                builder.Append('%').Append(HexUpper[buffer[i] >> 4]).Append(HexUpper[buffer[i] & 0xF]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Percent-decodes a query component; <c>+</c> is kept as a literal plus, as AWS signs it.</summary>
    public static string Decode(string value) => Uri.UnescapeDataString(value);

    private static bool IsUnreserved(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~';

    private const string HexUpper = "0123456789ABCDEF";
}
