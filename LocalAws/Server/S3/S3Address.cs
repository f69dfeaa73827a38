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

    private static string? VirtualHostedBucket(string host, string region)
    {
        foreach (var suffix in (ReadOnlySpan<string>)[".s3.localhost", $".s3.{region}.localhost"])
        {
            if (host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return host[..^suffix.Length].ToLowerInvariant();
            }
        }

        return null;
    }

    private static bool IsPathStyleS3Host(string host, string region) =>
        string.Equals(host, "s3.localhost", StringComparison.OrdinalIgnoreCase)
        || string.Equals(host, $"s3.{region}.localhost", StringComparison.OrdinalIgnoreCase);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
