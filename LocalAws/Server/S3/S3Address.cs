using System.Text;

namespace Tap.LocalAws.S3;

/// <summary>
/// Which bucket and key a request names. Path-style on LocalAws's own host (<c>/{bucket}/{key}</c>), and
/// virtual-hosted style for <c>{bucket}.s3.localhost</c> and <c>{bucket}.s3.{region}.localhost</c>
/// (<c>/{key}</c>); <c>s3.localhost</c> and <c>s3.{region}.localhost</c> themselves are path-style. The key is the
/// raw path percent-decoded exactly once, as S3 reads it: <c>+</c>, <c>//</c> and dot segments are kept.
/// </summary>
internal readonly record struct S3Address(string? Bucket, string? Key)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether <paramref name="host"/> (without its port) is one of S3's names under <c>localhost</c>.</summary>
    public static bool IsS3Host(string host, string region) => VirtualHostedBucket(host, region) is not null || IsPathStyleS3Host(host, region);

    /// <exception cref="FormatException">The path is not valid percent-encoded UTF-8 (S3's InvalidURI).</exception>
    public static S3Address Parse(string host, string rawPath, string region)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        if (VirtualHostedBucket(host, region) is { } bucket)
        {
            var key = rawPath.Length > 1 ? Decode(rawPath.AsSpan(1)) : null;
            return new S3Address(bucket, string.IsNullOrEmpty(key) ? null : key);
        }

        var path = rawPath.AsSpan().TrimStart('/');
        if (path.IsEmpty)
        {
            return new S3Address(null, null);
        }

        var slash = path.IndexOf('/');
        var bucketName = Decode(slash < 0 ? path : path[..slash]);
        var objectKey = slash < 0 ? null : Decode(path[(slash + 1)..]);
        return new S3Address(bucketName, string.IsNullOrEmpty(objectKey) ? null : objectKey);
    }

    /// <summary>Percent-decodes to bytes, then reads them as strict UTF-8.</summary>
    /// <exception cref="FormatException">A malformed escape or bytes that are not UTF-8.</exception>
    public static string Decode(ReadOnlySpan<char> raw)
    {
        try
        {
            return raw.Contains('%') ? DecodeEscapes(raw) : raw.ToString();
        }
        catch (ArgumentException ex)
        {
            // Decoder and encoder fallbacks: bytes that are not UTF-8, or a lone surrogate.
            throw new FormatException("The path is not UTF-8.", ex);
        }
    }

    private static string DecodeEscapes(ReadOnlySpan<char> raw)
    {
        var bytes = new byte[Encoding.UTF8.GetMaxByteCount(raw.Length)];
        var length = 0;
        while (!raw.IsEmpty)
        {
            var escape = raw.IndexOf('%');
            if (escape != 0)
            {
                var literal = escape < 0 ? raw : raw[..escape];
                length += StrictUtf8.GetBytes(literal, bytes.AsSpan(length));
                raw = raw[literal.Length..];
                continue;
            }

            if (raw.Length < 3 || !char.IsAsciiHexDigit(raw[1]) || !char.IsAsciiHexDigit(raw[2]))
            {
                throw new FormatException("A percent escape is incomplete.");
            }

            bytes[length++] = (byte)((HexValue(raw[1]) << 4) | HexValue(raw[2]));
            raw = raw[3..];
        }

        return StrictUtf8.GetString(bytes, 0, length);
    }

    private static string? VirtualHostedBucket(string host, string region) =>
        S3LabelStart(host, region) is var start and >= 2 ? host[..(start - 1)].ToLowerInvariant() : null;

    private static bool IsPathStyleS3Host(string host, string region) => S3LabelStart(host, region) == 0;

    /// <summary>
    /// Where <c>s3.localhost</c> or <c>s3.{region}.localhost</c> starts at the end of <paramref name="host"/> (0 for
    /// the host itself, the bucket's length + 1 for a virtual-hosted bucket), or -1. Every request to <c>/</c>
    /// asks, so it reads the host in place.
    /// </summary>
    private static int S3LabelStart(ReadOnlySpan<char> host, string region)
    {
        const string Localhost = ".localhost";
        if (!host.EndsWith(Localhost, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var rest = host[..^Localhost.Length];
        if (S3Label(rest) is var start and >= 0)
        {
            return start;
        }

        return rest.Length > region.Length && rest.EndsWith(region, StringComparison.OrdinalIgnoreCase) && rest[^(region.Length + 1)] == '.'
            ? S3Label(rest[..^(region.Length + 1)])
            : -1;
    }

    /// <summary>Where a final <c>s3</c> label starts (the whole text, or after a dot), or -1.</summary>
    private static int S3Label(ReadOnlySpan<char> text) =>
        text.EndsWith("s3", StringComparison.OrdinalIgnoreCase) && (text.Length == 2 || text[^3] == '.') ? text.Length - 2 : -1;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
