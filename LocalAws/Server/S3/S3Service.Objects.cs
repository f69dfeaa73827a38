using System.Globalization;
using System.Text;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Payload;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>Objects: put, got (whole, by range, or only their headers), deleted and copied.</summary>
internal sealed partial class S3Service
{
    /// <summary>S3's limit on a key: 1,024 bytes of UTF-8.</summary>
    private const int MaxKeyBytes = 1024;

    private static readonly string[] PublicAcls = ["public-read", "public-read-write", "authenticated-read"];

    private long MaxObjectBytes => settings.S3MaxObjectMegabytes * 1024L * 1024L;

    private async Task PutObjectAsync(S3Call request)
    {
        var bucket = AuthorizeWrite(request);
        var headers = ObjectHeaderMapping.FromRequest(request.Http.Request.Headers, bucket);
        var requested = S3ChecksumAlgorithms.Parse(request.Header("x-amz-sdk-checksum-algorithm"));
        using var blob = store.StartBlob(bucket.Name);
        var payload = await S3PayloadReader.ReadAsync(request.Http.Request, ChunkSigning(request), blob.Stream, MaxObjectBytes, requested, request.Http.RequestAborted);
        blob.Seal();

        var algorithm = ChecksumOf(request.Http.Request.Headers) ?? requested;
        var version = store.PutVersion(bucket.Name, request.RequiredKey, new ObjectVersion
        {
            VersionId = S3Store.NullVersionId,
            LastModified = Now(),
            Size = payload.Length,
            ETag = $"\"{Convert.ToHexStringLower(payload.Md5)}\"",
            Headers = headers,
            Checksum = algorithm is { } a ? new ObjectChecksum(a.Name(), Convert.ToBase64String(payload.Checksums[a]), "FULL_OBJECT") : null,
        }, blob);
        WriteStored(request, bucket, version);
    }

    private async Task GetObjectAsync(S3Call request, bool withBody)
    {
        if (request.Query("partNumber") is not null)
        {
            throw S3Errors.NotImplemented("GetObject by partNumber");
        }

        var (bucket, opened) = FindReadable(request, request.Query("versionId"));
        await using var _ = opened;
        var version = opened.Version;
        var response = request.Http.Response;
        if (Precondition(request, version) is { } status)
        {
            response.StatusCode = status;
            response.Headers.ETag = version.ETag;
            return;
        }

        var range = ByteRange.Parse(request.Header("Range"), version.Size);
        ObjectHeaderMapping.Write(response, version, bucket, request.Http.Request.Query, string.Equals(request.Header("x-amz-checksum-mode"), "ENABLED", StringComparison.OrdinalIgnoreCase) && range is null);
        var (offset, length) = range is { } r ? (r.First, r.Length) : (0, version.Size);
        response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        if (range is { } partial)
        {
            response.Headers.ContentRange = partial.ContentRange(version.Size);
        }

        response.ContentLength = length;
        if (!withBody || length == 0)
        {
            return;
        }

        var data = opened.Data!;
        data.Seek(offset, SeekOrigin.Begin);
        await CopyAsync(data, length, chunk => response.Body.WriteAsync(chunk, request.Http.RequestAborted), request.Http.RequestAborted);
    }

    private Task DeleteObject(S3Call request)
    {
        var versionId = request.Query("versionId");
        var bucket = FindBucket(request);
        Demand(request, bucket, versionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", ObjectArn(bucket.Name, request.RequiredKey));
        var outcome = store.Delete(bucket.Name, request.RequiredKey, versionId, Now());
        var response = request.Http.Response;
        if (outcome.VersionId is not null)
        {
            response.Headers["x-amz-version-id"] = outcome.VersionId;
        }

        if (outcome.DeleteMarker)
        {
            response.Headers["x-amz-delete-marker"] = "true";
        }

        response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task DeleteObjectsAsync(S3Call request)
    {
        var bucket = FindBucket(request);
        var headers = request.Http.Request.Headers;
        if (!headers.ContainsKey("Content-MD5") && !headers.ContainsKey("x-amz-trailer") && ChecksumOf(headers) is null)
        {
            throw S3Errors.InvalidRequest("Missing required header for this request: Content-MD5");
        }

        var document = S3Xml.Parse(await ReadDocumentAsync(request), "Delete");
        var quiet = document.ChildBoolean("Quiet");
        var objects = document.Children("Object").Select(o => (Key: o.ChildValue("Key") ?? throw S3Errors.MalformedXml(), VersionId: o.ChildValue("VersionId"))).ToList();
        if (objects.Count is 0 or > 1000)
        {
            throw S3Errors.MalformedXml();
        }

        var results = new List<(string Key, string? VersionId, DeleteOutcome? Outcome)>();
        foreach (var (key, versionId) in objects)
        {
            var allowed = request.Access.IsAllowed(versionId is null ? "s3:DeleteObject" : "s3:DeleteObjectVersion", ObjectArn(bucket.Name, key), Policy(bucket), out _);
            results.Add((key, versionId, allowed ? store.Delete(bucket.Name, key, versionId, Now()) : null));
        }

        await RestXmlProtocol.WriteAsync(request.Http.Response, "DeleteResult", xml =>
        {
            foreach (var (key, versionId, outcome) in results)
            {
                if (outcome is null)
                {
                    xml.WriteStartElement("Error");
                    xml.Element("Key", key);
                    xml.Element("VersionId", versionId);
                    xml.Element("Code", "AccessDenied");
                    xml.Element("Message", "Access Denied");
                    xml.WriteEndElement();
                }
                else if (!quiet)
                {
                    xml.WriteStartElement("Deleted");
                    xml.Element("Key", key);
                    xml.Element("VersionId", versionId);
                    if (outcome.DeleteMarker)
                    {
                        xml.Element("DeleteMarker", true);
                        xml.Element("DeleteMarkerVersionId", outcome.VersionId);
                    }

                    xml.WriteEndElement();
                }
            }
        });
    }

    private async Task CopyObjectAsync(S3Call request)
    {
        var (sourceBucketName, sourceKey, sourceVersionId) = ParseCopySource(request.Header("x-amz-copy-source")!);
        var sourceBucket = store.FindBucket(sourceBucketName) ?? throw S3Errors.NoSuchBucket();
        Demand(request, sourceBucket, sourceVersionId is null ? "s3:GetObject" : "s3:GetObjectVersion", ObjectArn(sourceBucketName, sourceKey), ownerHeader: "x-amz-source-expected-bucket-owner");
        await using var opened = store.OpenVersion(sourceBucketName, sourceKey, sourceVersionId) is { Version.IsDeleteMarker: false } found
            ? found
            : throw (sourceVersionId is null ? S3Errors.NoSuchKey() : S3Errors.NoSuchVersion());
        var source = opened.Version;
        var bucket = AuthorizeWrite(request);

        var replace = request.Header("x-amz-metadata-directive") switch
        {
            null or "COPY" => false,
            "REPLACE" => true,
            var other => throw S3Errors.InvalidArgument($"Unknown metadata directive: {other}"),
        };
        var sseChanged = request.Header("x-amz-server-side-encryption") is { } sse && sse != source.Headers.ServerSideEncryption;
        if (sourceBucketName == bucket.Name && sourceKey == request.RequiredKey && !replace && !sseChanged && sourceVersionId is null)
        {
            throw S3Errors.InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
        }

        if (source.Size > MaxObjectBytes)
        {
            throw S3Errors.EntityTooLarge(MaxObjectBytes);
        }

        var headers = replace ? ObjectHeaderMapping.FromRequest(request.Http.Request.Headers, bucket)
            : source.Headers with { ServerSideEncryption = request.Header("x-amz-server-side-encryption") ?? bucket.Encryption.Algorithm };
        var algorithm = S3ChecksumAlgorithms.Parse(request.Header("x-amz-checksum-algorithm"))
            ?? (source.Checksum is { Type: "FULL_OBJECT" } kept ? S3ChecksumAlgorithms.Parse(kept.Algorithm) : null);

        using var blob = store.StartBlob(bucket.Name);
        byte[] md5;
        byte[]? checksum = null;
        using (var sink = new PayloadSink(blob.Stream, MaxObjectBytes, hashSha256: false, algorithm is { } a ? [a] : []))
        {
            await CopyAsync(opened.Data ?? Stream.Null, source.Size, chunk => sink.WriteAsync(chunk, request.Http.RequestAborted), request.Http.RequestAborted);
            md5 = sink.Md5();
            if (algorithm is { } computed)
            {
                checksum = sink.Checksums()[computed];
            }
        }

        blob.Seal();
        var version = store.PutVersion(bucket.Name, request.RequiredKey, new ObjectVersion
        {
            VersionId = S3Store.NullVersionId,
            LastModified = Now(),
            Size = source.Size,
            ETag = $"\"{Convert.ToHexStringLower(md5)}\"",
            Headers = headers,
            Checksum = algorithm is { } used ? new ObjectChecksum(used.Name(), Convert.ToBase64String(checksum!), "FULL_OBJECT") : null,
        }, blob);

        var response = request.Http.Response;
        ObjectHeaderMapping.WriteVersionId(response, version, bucket);
        ObjectHeaderMapping.WriteEncryption(response, version.Headers);
        if (sourceBucket.Versioning is not null)
        {
            response.Headers["x-amz-copy-source-version-id"] = source.VersionId;
        }

        await RestXmlProtocol.WriteAsync(response, "CopyObjectResult", xml =>
        {
            xml.Element("ETag", version.ETag);
            xml.Element("LastModified", S3Xml.Timestamp(version.LastModified));
            if (version.Checksum is { } stored)
            {
                xml.Element("ChecksumType", stored.Type);
                xml.Element("Checksum" + stored.Algorithm, stored.Value);
            }
        });
    }

    /// <summary>Finds the bucket and demands PutObject on the key, refusing a public ACL the bucket blocks.</summary>
    private BucketRecord AuthorizeWrite(S3Call request)
    {
        if (Encoding.UTF8.GetByteCount(request.RequiredKey) > MaxKeyBytes)
        {
            throw S3Errors.Error(400, "KeyTooLongError", "Your key is too long");
        }

        var bucket = FindBucket(request);
        Demand(request, bucket, "s3:PutObject", ObjectArn(bucket.Name, request.RequiredKey));
        if (bucket.PublicAccessBlock?.BlockPublicAcls == true && PublicAcls.Contains(request.Header("x-amz-acl")))
        {
            throw S3Errors.AccessDenied();
        }

        return bucket;
    }

    /// <summary>
    /// The version a GET or HEAD reads, once the caller may read it. A missing key is 404 for a caller who may list
    /// the bucket and 403 for one who may not, as S3 answers, so a read-only caller learns nothing by probing.
    /// </summary>
    /// <summary>The version a GET or HEAD reads, its bytes opened with it; the caller disposes them.</summary>
    private (BucketRecord Bucket, OpenedVersion Opened) FindReadable(S3Call request, string? versionId)
    {
        var bucket = FindBucket(request);
        Demand(request, bucket, versionId is null ? "s3:GetObject" : "s3:GetObjectVersion", ObjectArn(bucket.Name, request.RequiredKey));
        var opened = store.OpenVersion(bucket.Name, request.RequiredKey, versionId);
        if (opened is null)
        {
            throw !IsAllowed(request, bucket, "s3:ListBucket", BucketArn(bucket.Name)) ? S3Errors.AccessDenied()
                : versionId is null ? S3Errors.NoSuchKey() : S3Errors.NoSuchVersion();
        }

        if (opened.Version.IsDeleteMarker)
        {
            request.Http.Response.Headers["x-amz-delete-marker"] = "true";
            request.Http.Response.Headers["x-amz-version-id"] = opened.Version.VersionId;
            throw versionId is null ? S3Errors.NoSuchKey() : S3Errors.MethodNotAllowed();
        }

        return (bucket, opened);
    }

    /// <summary>The status a conditional GET or HEAD ends with (304 or 412), or none when it proceeds.</summary>
    private static int? Precondition(S3Call request, ObjectVersion version)
    {
        var ifMatch = request.Header("If-Match");
        if (ifMatch is not null && !EtagMatches(ifMatch, version.ETag))
        {
            throw S3Errors.PreconditionFailed();
        }

        if (ifMatch is null && HttpDate(request.Header("If-Unmodified-Since")) is { } unmodifiedSince && version.LastModified > unmodifiedSince.AddSeconds(1))
        {
            throw S3Errors.PreconditionFailed();
        }

        var ifNoneMatch = request.Header("If-None-Match");
        if (ifNoneMatch is not null)
        {
            return EtagMatches(ifNoneMatch, version.ETag) ? StatusCodes.Status304NotModified : null;
        }

        return HttpDate(request.Header("If-Modified-Since")) is { } modifiedSince && version.LastModified < modifiedSince.AddSeconds(1)
            ? StatusCodes.Status304NotModified
            : null;
    }

    private static bool EtagMatches(string condition, string etag) =>
        condition.Split(',', StringSplitOptions.TrimEntries).Any(c => c == "*" || c.Trim('"') == etag.Trim('"'));

    private static DateTimeOffset? HttpDate(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;

    /// <summary>The one checksum an <c>x-amz-checksum-*</c> header or an <c>x-amz-trailer</c> declares.</summary>
    private static S3ChecksumAlgorithm? ChecksumOf(IHeaderDictionary headers)
    {
        foreach (var name in headers.Keys)
        {
            if (S3ChecksumAlgorithms.FromHeaderName(name) is { } algorithm)
            {
                return algorithm;
            }
        }

        return S3ChecksumAlgorithms.FromHeaderName(headers["x-amz-trailer"].ToString().Trim());
    }

    /// <summary>
    /// <c>x-amz-copy-source</c>: <c>[/]bucket/key[?versionId=…]</c>, URL-encoded as a whole (the .NET SDK encodes the
    /// slash after the bucket too), so decoded before it is split: a bucket name holds neither <c>/</c> nor <c>%</c>.
    /// </summary>
    private static (string Bucket, string Key, string? VersionId) ParseCopySource(string header)
    {
        var query = header.IndexOf('?', StringComparison.Ordinal);
        string? versionId = null;
        if (query >= 0)
        {
            const string VersionParameter = "versionId=";
            var parameter = header[(query + 1)..];
            versionId = parameter.StartsWith(VersionParameter, StringComparison.Ordinal) ? parameter[VersionParameter.Length..] : throw S3Errors.InvalidArgument("Invalid copy source");
        }

        string path;
        try
        {
            path = S3Address.Decode(header.AsSpan(0, query < 0 ? header.Length : query));
        }
        catch (FormatException)
        {
            throw S3Errors.InvalidArgument("Invalid copy source encoding");
        }

        path = path.StartsWith('/') ? path[1..] : path;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == path.Length - 1)
        {
            throw S3Errors.InvalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
        }

        return (path[..slash], path[(slash + 1)..], versionId);
    }

    /// <summary>The answer to a stored object or part: its ETag, version, encryption and checksum.</summary>
    private static void WriteStored(S3Call request, BucketRecord bucket, ObjectVersion version)
    {
        var response = request.Http.Response;
        response.Headers.ETag = version.ETag;
        ObjectHeaderMapping.WriteVersionId(response, version, bucket);
        ObjectHeaderMapping.WriteEncryption(response, version.Headers);
        if (version.Checksum is { } checksum && S3ChecksumAlgorithms.Parse(checksum.Algorithm) is { } algorithm)
        {
            response.Headers[algorithm.HeaderName()] = checksum.Value;
            response.Headers["x-amz-checksum-type"] = checksum.Type;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
    }

    /// <summary>Hands <paramref name="length"/> bytes of <paramref name="source"/> to <paramref name="write"/>.</summary>
    private static async Task CopyAsync(Stream source, long length, Func<ReadOnlyMemory<byte>, ValueTask> write, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Clamp(length, 1, 64 * 1024)];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                throw new IOException("The object's file is shorter than its record says.");
            }

            await write(buffer.AsMemory(0, read));
            length -= read;
        }
    }
}
