using System.Globalization;
using System.Security.Cryptography;
using Tap.Aws.Signing;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Payload;
using Tap.LocalAws.S3.Storage;

namespace Tap.LocalAws.S3;

/// <summary>Multipart uploads: started, given parts, listed, completed into one object, or aborted.</summary>
internal sealed partial class S3Service
{
    private const int MaxPartNumber = 10000;

    /// <summary>S3's smallest part but the last.</summary>
    private const long MinPartBytes = 5L * 1024 * 1024;

    private async Task CreateMultipartUploadAsync(S3Call request)
    {
        var bucket = AuthorizeWrite(request);
        var algorithmName = request.Header("x-amz-checksum-algorithm");
        var algorithm = algorithmName is null ? (S3ChecksumAlgorithm?)null
            : S3ChecksumAlgorithms.Parse(algorithmName) ?? throw S3Errors.InvalidRequest($"Checksum algorithm provided is unsupported: {algorithmName}");
        var type = request.Header("x-amz-checksum-type")?.ToUpperInvariant() ?? (algorithm == S3ChecksumAlgorithm.Crc64Nvme ? "FULL_OBJECT" : "COMPOSITE");
        if (algorithm is { } chosen && (type is not ("FULL_OBJECT" or "COMPOSITE") || (type == "FULL_OBJECT" && !chosen.SupportsFullObject()) || (type == "COMPOSITE" && chosen == S3ChecksumAlgorithm.Crc64Nvme)))
        {
            throw S3Errors.InvalidRequest($"The {chosen.Name()} checksum algorithm does not support the {type} checksum type.");
        }

        var upload = new MultipartUpload
        {
            UploadId = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '.').Replace('/', '_'),
            Key = request.RequiredKey,
            Initiated = Now(),
            Headers = ObjectHeaderMapping.FromRequest(request.Http.Request.Headers, bucket),
            ChecksumAlgorithm = algorithm?.Name(),
            ChecksumType = algorithm is null ? null : type,
        };
        store.StartUpload(bucket.Name, upload);

        var response = request.Http.Response;
        ObjectHeaderMapping.WriteEncryption(response, upload.Headers);
        if (algorithm is not null)
        {
            response.Headers["x-amz-checksum-algorithm"] = upload.ChecksumAlgorithm;
            response.Headers["x-amz-checksum-type"] = upload.ChecksumType;
        }

        await RestXmlProtocol.WriteAsync(response, "InitiateMultipartUploadResult", xml =>
        {
            xml.Element("Bucket", bucket.Name);
            xml.Element("Key", upload.Key);
            xml.Element("UploadId", upload.UploadId);
        });
    }

    private async Task UploadPartAsync(S3Call request)
    {
        if (!int.TryParse(request.Query("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var partNumber) || partNumber is < 1 or > MaxPartNumber)
        {
            throw S3Errors.InvalidArgument("Part number must be an integer between 1 and 10000, inclusive");
        }

        var bucket = AuthorizeWrite(request);
        var upload = store.FindUpload(bucket.Name, request.RequiredKey, request.Query("uploadId") ?? throw S3Errors.NoSuchUpload());
        var algorithm = S3ChecksumAlgorithms.Parse(upload.ChecksumAlgorithm);
        if (ChecksumOf(request.Http.Request.Headers) is { } sent && algorithm is { } expected && sent != expected)
        {
            throw S3Errors.InvalidRequest($"Checksum Type mismatch occurred, expected checksum Type: {expected.Name().ToLowerInvariant()}, actual checksum Type: {sent.Name().ToLowerInvariant()}");
        }

        using var blob = store.StartBlob(bucket.Name);
        var payload = await S3PayloadReader.ReadAsync(request.Http.Request, ChunkSigning(request), blob.Stream, MaxObjectBytes, algorithm, request.Http.RequestAborted);
        blob.Seal();
        var checksum = algorithm is { } a ? Convert.ToBase64String(payload.Checksums[a]) : null;
        var part = new UploadedPart(partNumber, payload.Length, $"\"{Convert.ToHexStringLower(payload.Md5)}\"", payload.Md5, Now(), checksum, blob.FileName);
        store.PutPart(bucket.Name, request.RequiredKey, upload.UploadId, part, blob);

        var response = request.Http.Response;
        response.Headers.ETag = part.ETag;
        ObjectHeaderMapping.WriteEncryption(response, upload.Headers);
        if (algorithm is { } used)
        {
            response.Headers[used.HeaderName()] = checksum;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = 0;
    }

    private async Task CompleteMultipartUploadAsync(S3Call request)
    {
        var bucket = AuthorizeWrite(request);
        var upload = store.FindUpload(bucket.Name, request.RequiredKey, request.Query("uploadId")!);
        var algorithm = S3ChecksumAlgorithms.Parse(upload.ChecksumAlgorithm);
        var listed = S3Xml.Parse(await ReadDocumentAsync(request), "CompleteMultipartUpload").Children("Part").Select(p =>
        (
            Number: int.TryParse(p.ChildValue("PartNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw S3Errors.MalformedXml(),
            ETag: p.ChildValue("ETag") ?? throw S3Errors.MalformedXml(),
            Checksum: algorithm is { } a ? p.ChildValue(a.ElementName()) : null)).ToList();
        if (listed.Count == 0)
        {
            throw S3Errors.MalformedXml();
        }

        var parts = new List<UploadedPart>();
        foreach (var (number, etag, checksum) in listed)
        {
            if (parts.Count > 0 && number <= parts[^1].PartNumber)
            {
                throw S3Errors.Error(400, "InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
            }

            if (!upload.Parts.TryGetValue(number, out var part) || part.ETag.Trim('"') != etag.Trim().Trim('"') || (checksum is not null && checksum != part.Checksum))
            {
                throw InvalidPart();
            }

            parts.Add(part);
        }

        if (parts.SkipLast(1).Any(p => p.Size < MinPartBytes))
        {
            throw S3Errors.Error(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
        }

        var size = parts.Sum(p => p.Size);
        if (size > MaxObjectBytes)
        {
            throw S3Errors.EntityTooLarge(MaxObjectBytes);
        }

        // The object's bytes are the parts', copied into a file of its own, so completing is one record's commit.
        var fullObject = upload.ChecksumType == "FULL_OBJECT";
        using var blob = store.StartBlob(bucket.Name);
        string? fullChecksum = null;
        using (var sink = new PayloadSink(blob.Stream, MaxObjectBytes, hashSha256: false, fullObject && algorithm is { } f ? [f] : []))
        {
            foreach (var part in parts)
            {
                await using var data = OpenPart(bucket.Name, part);
                await CopyAsync(data, part.Size, chunk => sink.WriteAsync(chunk, request.Http.RequestAborted), request.Http.RequestAborted);
            }

            if (fullObject && algorithm is { } full)
            {
                fullChecksum = Convert.ToBase64String(sink.Checksums()[full]);
            }
        }

        blob.Seal();
#pragma warning disable CA5351 // S3 defines a multipart ETag as the MD5 of the parts' MD5s; nothing relies on it for security.
        var etagOfEtags = Convert.ToHexStringLower(MD5.HashData(parts.SelectMany(p => p.Md5).ToArray()));
#pragma warning restore CA5351
        var objectChecksum = algorithm is not { } alg ? null
            : fullObject ? new ObjectChecksum(alg.Name(), fullChecksum!, "FULL_OBJECT")
            : new ObjectChecksum(alg.Name(), $"{CompositeChecksum(alg, parts)}-{parts.Count}", "COMPOSITE");
        var version = store.CompleteUpload(bucket.Name, request.RequiredKey, upload.UploadId, new ObjectVersion
        {
            VersionId = S3Store.NullVersionId,
            LastModified = Now(),
            Size = size,
            ETag = $"\"{etagOfEtags}-{parts.Count}\"",
            Headers = upload.Headers,
            Checksum = objectChecksum,
            PartsCount = parts.Count,
        }, blob);

        var response = request.Http.Response;
        ObjectHeaderMapping.WriteVersionId(response, version, bucket);
        ObjectHeaderMapping.WriteEncryption(response, version.Headers);
        await RestXmlProtocol.WriteAsync(response, "CompleteMultipartUploadResult", xml =>
        {
            xml.Element("Location", $"{request.Http.Request.Scheme}://{request.Http.Request.Host}/{bucket.Name}/{UriEncoding.Encode(request.RequiredKey, encodeSlash: false)}");
            xml.Element("Bucket", bucket.Name);
            xml.Element("Key", request.RequiredKey);
            xml.Element("ETag", version.ETag);
            if (version.Checksum is { } stored)
            {
                xml.Element("Checksum" + stored.Algorithm, stored.Value);
                xml.Element("ChecksumType", stored.Type);
            }
        });
    }

    private Task AbortMultipartUpload(S3Call request)
    {
        var bucket = Authorize(request);
        store.AbortUpload(bucket.Name, request.RequiredKey, request.Query("uploadId")!);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task ListPartsAsync(S3Call request)
    {
        var bucket = Authorize(request);
        var upload = store.FindUpload(bucket.Name, request.RequiredKey, request.Query("uploadId")!);
        var maxParts = ParseLimit(request.Query("max-parts"), "max-parts");
        var marker = int.TryParse(request.Query("part-number-marker"), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : 0;
        var remaining = upload.Parts.Values.Where(p => p.PartNumber > marker).OrderBy(p => p.PartNumber).ToList();
        var page = remaining.Take(maxParts).ToList();
        var algorithm = S3ChecksumAlgorithms.Parse(upload.ChecksumAlgorithm);
        await RestXmlProtocol.WriteAsync(request.Http.Response, "ListPartsResult", xml =>
        {
            xml.Element("Bucket", bucket.Name);
            xml.Element("Key", upload.Key);
            xml.Element("UploadId", upload.UploadId);
            xml.Element("PartNumberMarker", marker);
            xml.Element("NextPartNumberMarker", page.Count > 0 ? page[^1].PartNumber : marker);
            xml.Element("MaxParts", maxParts);
            xml.Element("IsTruncated", remaining.Count > page.Count);
            foreach (var part in page)
            {
                xml.WriteStartElement("Part");
                xml.Element("PartNumber", part.PartNumber);
                xml.Element("LastModified", S3Xml.Timestamp(part.LastModified));
                xml.Element("ETag", part.ETag);
                xml.Element("Size", part.Size);
                if (algorithm is { } a)
                {
                    xml.Element(a.ElementName(), part.Checksum);
                }

                xml.WriteEndElement();
            }

            xml.WriteStartElement("Initiator");
            xml.Element("ID", request.Access.Caller.Arn);
            xml.WriteEndElement();
            WriteOwner(xml);
            xml.Element("StorageClass", "STANDARD");
            xml.Element("ChecksumAlgorithm", upload.ChecksumAlgorithm);
            xml.Element("ChecksumType", upload.ChecksumType);
        });
    }

    /// <summary>A composite checksum: the algorithm over the parts' checksums (raw bytes), in base64.</summary>
    private static string CompositeChecksum(S3ChecksumAlgorithm algorithm, List<UploadedPart> parts) =>
        S3Checksum.Of(algorithm, parts.SelectMany(p => Convert.FromBase64String(p.Checksum!)).ToArray());

    private static AwsServiceException InvalidPart() => S3Errors.Error(400, "InvalidPart",
        "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.");

    /// <summary>A listed part's bytes; a part replaced or aborted since the list was checked is no longer the part listed.</summary>
    private FileStream OpenPart(string bucketName, UploadedPart part)
    {
        try
        {
            return store.OpenBlob(bucketName, part.DataFile);
        }
        catch (FileNotFoundException)
        {
            throw InvalidPart();
        }
    }
}
