namespace Tap.LocalAws.S3.Storage;

/// <summary>A bucket and its configuration, as stored (<c>bucket.json</c>).</summary>
internal sealed record BucketRecord
{
    public required string Name { get; init; }

    public required DateTimeOffset CreationDate { get; init; }

    public required string Region { get; init; }

    /// <summary>The bucket policy's JSON, as the owner put it.</summary>
    public string? Policy { get; init; }

    /// <summary><c>Enabled</c>, <c>Suspended</c>, or <see langword="null"/> for a bucket never versioned.</summary>
    public string? Versioning { get; init; }

    /// <summary>The default encryption; every bucket has one (SSE-S3 unless set otherwise).</summary>
    public BucketEncryption Encryption { get; init; } = BucketEncryption.S3Managed;

    /// <summary>The public access block; new buckets block everything, as S3's have since 2023.</summary>
    public PublicAccessBlock? PublicAccessBlock { get; init; } = PublicAccessBlock.BlockAll;

    public IReadOnlyList<KeyValuePair<string, string>>? Tags { get; init; }
}

/// <summary>A bucket's default encryption rule.</summary>
internal sealed record BucketEncryption(string Algorithm, string? KmsKeyId, bool BucketKeyEnabled)
{
    public static BucketEncryption S3Managed { get; } = new("AES256", null, false);
}

/// <summary>The four settings of S3 Block Public Access.</summary>
internal sealed record PublicAccessBlock(bool BlockPublicAcls, bool IgnorePublicAcls, bool BlockPublicPolicy, bool RestrictPublicBuckets)
{
    public static PublicAccessBlock BlockAll { get; } = new(true, true, true, true);
}

/// <summary>The headers S3 keeps with an object and returns on GET and HEAD.</summary>
internal sealed record ObjectHeaders
{
    public string? ContentType { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentDisposition { get; init; }

    public string? ContentLanguage { get; init; }

    public string? CacheControl { get; init; }

    public string? Expires { get; init; }

    /// <summary>The user metadata (<c>x-amz-meta-*</c>), names in lower case.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string ServerSideEncryption { get; init; } = "AES256";

    public string? KmsKeyId { get; init; }
}

/// <summary>An object's checksum: its algorithm, its base64 value, and whether it covers the whole object or its parts.</summary>
internal sealed record ObjectChecksum(string Algorithm, string Value, string Type);

/// <summary>One version of a key: an object, or a delete marker.</summary>
internal sealed record ObjectVersion
{
    /// <summary>The version id; <c>null</c> (the string) for the version of an unversioned or suspended bucket.</summary>
    public required string VersionId { get; init; }

    public bool IsDeleteMarker { get; init; }

    public required DateTimeOffset LastModified { get; init; }

    public long Size { get; init; }

    /// <summary>The quoted ETag, e.g. <c>"9b2cf5…"</c> or <c>"…-3"</c> for a multipart upload.</summary>
    public string ETag { get; init; } = string.Empty;

    public ObjectHeaders Headers { get; init; } = new();

    public ObjectChecksum? Checksum { get; init; }

    /// <summary>How many parts a multipart upload made it of.</summary>
    public int? PartsCount { get; init; }

    /// <summary>The file in the bucket's data folder that holds the bytes; none for a delete marker.</summary>
    public string? DataFile { get; init; }
}

/// <summary>A key and its versions, newest first (<c>objects/{hash}.object</c>).</summary>
internal sealed record ObjectRecord(string Key, IReadOnlyList<ObjectVersion> Versions)
{
    public ObjectVersion Latest => Versions[0];
}

/// <summary>An uploaded part of a multipart upload.</summary>
internal sealed record UploadedPart(int PartNumber, long Size, string ETag, byte[] Md5, DateTimeOffset LastModified, string? Checksum, string DataFile);

/// <summary>A multipart upload in progress (<c>uploads/{hash}.upload</c>).</summary>
internal sealed record MultipartUpload
{
    public required string UploadId { get; init; }

    public required string Key { get; init; }

    public required DateTimeOffset Initiated { get; init; }

    public required ObjectHeaders Headers { get; init; }

    public string? ChecksumAlgorithm { get; init; }

    /// <summary><c>COMPOSITE</c> or <c>FULL_OBJECT</c>, when the upload has a checksum algorithm.</summary>
    public string? ChecksumType { get; init; }

    public IReadOnlyDictionary<int, UploadedPart> Parts { get; init; } = new Dictionary<int, UploadedPart>();
}
