namespace Tap.LocalAws.S3.Payload;

/// <summary>The additional checksums S3 computes, checks and keeps with an object (<c>x-amz-checksum-{name}</c>).</summary>
internal enum S3ChecksumAlgorithm
{
    Crc32,
    Crc32C,
    Crc64Nvme,
    Sha1,
    Sha256,
}

/// <summary>The names S3 spells each algorithm with: in headers (lower case) and in XML and enums (upper case).</summary>
internal static class S3ChecksumAlgorithms
{
    public const string HeaderPrefix = "x-amz-checksum-";

    public static readonly S3ChecksumAlgorithm[] All = Enum.GetValues<S3ChecksumAlgorithm>();

    /// <summary>As S3's API spells it: <c>CRC32</c>, <c>CRC32C</c>, <c>CRC64NVME</c>, <c>SHA1</c>, <c>SHA256</c>.</summary>
    public static string Name(this S3ChecksumAlgorithm algorithm) => algorithm.ToString().ToUpperInvariant();

    /// <summary>The header that carries it, e.g. <c>x-amz-checksum-crc32c</c>.</summary>
    public static string HeaderName(this S3ChecksumAlgorithm algorithm) => HeaderPrefix + algorithm.ToString().ToLowerInvariant();

    /// <summary>The XML element that carries it, e.g. <c>ChecksumCRC32C</c>.</summary>
    public static string ElementName(this S3ChecksumAlgorithm algorithm) => "Checksum" + algorithm.Name();

    /// <summary>Whether a multipart upload's checksum can cover the whole object (the CRCs can; the SHAs are per part).</summary>
    public static bool SupportsFullObject(this S3ChecksumAlgorithm algorithm) => algorithm is S3ChecksumAlgorithm.Crc32 or S3ChecksumAlgorithm.Crc32C or S3ChecksumAlgorithm.Crc64Nvme;

    public static S3ChecksumAlgorithm? Parse(string? name)
    {
        foreach (var algorithm in All)
        {
            if (string.Equals(algorithm.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>The algorithm a header name such as <c>x-amz-checksum-sha256</c> names.</summary>
    public static S3ChecksumAlgorithm? FromHeaderName(string header) =>
        header.StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase) ? Parse(header[HeaderPrefix.Length..]) : null;
}
