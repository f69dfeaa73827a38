namespace Tap.Aws.Signing;

/// <summary>Names and formats fixed by the Signature Version 4 specification.</summary>
public static class SigV4Constants
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string Terminator = "aws4_request";
    public const string DateTimeFormat = "yyyyMMdd'T'HHmmss'Z'";
    public const string DateFormat = "yyyyMMdd";

    /// <summary>Payload marker that only Amazon S3 accepts in place of the body's hash.</summary>
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";

    /// <summary>S3's <c>aws-chunked</c> body, each chunk signed after the request's seed signature.</summary>
    public const string StreamingSignedPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";

    /// <summary>As <see cref="StreamingSignedPayload"/>, with signed trailing headers (checksums).</summary>
    public const string StreamingSignedPayloadTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";

    /// <summary>S3's <c>aws-chunked</c> body without chunk signatures, with trailing headers (checksums).</summary>
    public const string StreamingUnsignedPayloadTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    /// <summary>The algorithm line of a chunk's string to sign.</summary>
    public const string ChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";

    /// <summary>The algorithm line of the trailer's string to sign.</summary>
    public const string TrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";

    /// <summary>SHA-256 of the empty string.</summary>
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Header authentication is valid this long either side of <c>X-Amz-Date</c>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The longest a presigned URL may live (7 days).</summary>
    public const int MaxPresignedExpirySeconds = 604800;

    public static class Headers
    {
        public const string Authorization = "authorization";
        public const string Host = "host";
        public const string XAmzDate = "x-amz-date";
        public const string XAmzSecurityToken = "x-amz-security-token";
        public const string XAmzContentSha256 = "x-amz-content-sha256";

        /// <summary>The prefix of AWS's own request headers, each of which must be signed when present.</summary>
        public const string AmzPrefix = "x-amz-";
    }

    public static class QueryParameters
    {
        public const string Algorithm = "X-Amz-Algorithm";
        public const string Credential = "X-Amz-Credential";
        public const string Date = "X-Amz-Date";
        public const string Expires = "X-Amz-Expires";
        public const string SignedHeaders = "X-Amz-SignedHeaders";
        public const string Signature = "X-Amz-Signature";
        public const string SecurityToken = "X-Amz-Security-Token";
    }
}
