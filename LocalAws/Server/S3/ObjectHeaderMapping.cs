using System.Text;
using Tap.LocalAws.S3.Payload;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>An object's headers: read from a PUT (or a multipart upload's start), written on GET and HEAD.</summary>
internal static class ObjectHeaderMapping
{
    private const string MetadataPrefix = "x-amz-meta-";

    /// <summary>S3's limit on user metadata: 2 KB in all.</summary>
    private const int MaxMetadataBytes = 2048;

    private static readonly string[] ServerSideEncryptions = ["AES256", "aws:kms", "aws:kms:dsse"];

    /// <summary>The headers to keep with a new object, its encryption defaulting to the bucket's.</summary>
    public static ObjectHeaders FromRequest(IHeaderDictionary headers, BucketRecord bucket)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var metadataBytes = 0;
        foreach (var (name, value) in headers)
        {
            if (name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var key = name[MetadataPrefix.Length..].ToLowerInvariant();
                metadata[key] = value.ToString();
                metadataBytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value.ToString());
            }
        }

        if (metadataBytes > MaxMetadataBytes)
        {
            throw S3Errors.Error(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size");
        }

        var sse = headers["x-amz-server-side-encryption"].ToString();
        if (sse.Length > 0 && !ServerSideEncryptions.Contains(sse))
        {
            throw S3Errors.InvalidArgument($"The encryption method specified is not supported: {sse}");
        }

        var kmsKey = headers["x-amz-server-side-encryption-aws-kms-key-id"].ToString();
        var algorithm = sse.Length > 0 ? sse : bucket.Encryption.Algorithm;
        return new ObjectHeaders
        {
            ContentType = Value(headers.ContentType),
            ContentEncoding = Value(headers.ContentEncoding) is { } encoding ? WithoutAwsChunked(encoding) : null,
            ContentDisposition = Value(headers.ContentDisposition),
            ContentLanguage = Value(headers.ContentLanguage),
            CacheControl = Value(headers.CacheControl),
            Expires = Value(headers.Expires),
            Metadata = metadata,
            ServerSideEncryption = algorithm,
            KmsKeyId = algorithm == "AES256" ? null : kmsKey.Length > 0 ? kmsKey : bucket.Encryption.KmsKeyId,
        };
    }

    /// <summary>Writes an object version's headers, with the <c>response-*</c> overrides a GET may ask for.</summary>
    public static void Write(HttpResponse response, ObjectVersion version, BucketRecord bucket, IQueryCollection query, bool checksumMode)
    {
        var headers = response.Headers;
        var stored = version.Headers;
        headers.ETag = version.ETag;
        headers.LastModified = S3Xml.HttpDate(version.LastModified);
        headers.AcceptRanges = "bytes";
        headers.ContentType = Override(query, "response-content-type") ?? stored.ContentType ?? "binary/octet-stream";
        Set(headers, "Content-Encoding", Override(query, "response-content-encoding") ?? stored.ContentEncoding);
        Set(headers, "Content-Disposition", Override(query, "response-content-disposition") ?? stored.ContentDisposition);
        Set(headers, "Content-Language", Override(query, "response-content-language") ?? stored.ContentLanguage);
        Set(headers, "Cache-Control", Override(query, "response-cache-control") ?? stored.CacheControl);
        Set(headers, "Expires", Override(query, "response-expires") ?? stored.Expires);
        WriteVersionId(response, version, bucket);
        WriteEncryption(response, stored);
        foreach (var (key, value) in stored.Metadata)
        {
            headers[MetadataPrefix + key] = value;
        }

        if (version.PartsCount is { } parts)
        {
            headers["x-amz-mp-parts-count"] = parts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (checksumMode && version.Checksum is { } checksum && S3ChecksumAlgorithms.Parse(checksum.Algorithm) is { } algorithm)
        {
            headers[algorithm.HeaderName()] = checksum.Value;
            headers["x-amz-checksum-type"] = checksum.Type;
        }
    }

    /// <summary>S3 names the version of every object in a bucket that has ever been versioned.</summary>
    public static void WriteVersionId(HttpResponse response, ObjectVersion version, BucketRecord bucket)
    {
        if (bucket.Versioning is not null)
        {
            response.Headers["x-amz-version-id"] = version.VersionId;
        }
    }

    public static void WriteEncryption(HttpResponse response, ObjectHeaders stored)
    {
        response.Headers["x-amz-server-side-encryption"] = stored.ServerSideEncryption;
        Set(response.Headers, "x-amz-server-side-encryption-aws-kms-key-id", stored.KmsKeyId);
    }

    private static string? Value(Microsoft.Extensions.Primitives.StringValues value) => value.Count == 0 ? null : value.ToString();

    /// <summary>The framing S3 removes: <c>aws-chunked</c> describes the upload, not the object.</summary>
    private static string? WithoutAwsChunked(string encoding)
    {
        var kept = encoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase));
        return string.Join(",", kept) is { Length: > 0 } joined ? joined : null;
    }

    private static string? Override(IQueryCollection query, string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;

    private static void Set(IHeaderDictionary headers, string name, string? value)
    {
        if (value is not null)
        {
            headers[name] = value;
        }
    }
}
