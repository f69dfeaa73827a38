using Tap.LocalAws.Services;

namespace Tap.LocalAws.S3;

/// <summary>
/// S3's operations served here, each with the IAM action the Service Authorization Reference gives it, and how a
/// request selects one: its method, whether it names a bucket and a key, and its subresource (<c>?policy</c>, …).
/// </summary>
internal static class S3Operations
{
    private const string Bucket = "arn:aws:s3:::{Bucket}";
    private const string Object = "arn:aws:s3:::{Bucket}/{Key}";

    public static readonly AwsOperation ListBuckets = new("ListBuckets", "s3:ListAllMyBuckets", "*");
    public static readonly AwsOperation CreateBucket = new("CreateBucket", "s3:CreateBucket", Bucket);
    public static readonly AwsOperation DeleteBucket = new("DeleteBucket", "s3:DeleteBucket", Bucket);
    public static readonly AwsOperation HeadBucket = new("HeadBucket", "s3:ListBucket", Bucket);
    public static readonly AwsOperation GetBucketLocation = new("GetBucketLocation", "s3:GetBucketLocation", Bucket);
    public static readonly AwsOperation ListObjects = new("ListObjects", "s3:ListBucket", Bucket);
    public static readonly AwsOperation ListObjectsV2 = new("ListObjectsV2", "s3:ListBucket", Bucket);
    public static readonly AwsOperation ListObjectVersions = new("ListObjectVersions", "s3:ListBucketVersions", Bucket);
    public static readonly AwsOperation PutBucketPolicy = new("PutBucketPolicy", "s3:PutBucketPolicy", Bucket);
    public static readonly AwsOperation GetBucketPolicy = new("GetBucketPolicy", "s3:GetBucketPolicy", Bucket);
    public static readonly AwsOperation DeleteBucketPolicy = new("DeleteBucketPolicy", "s3:DeleteBucketPolicy", Bucket);
    public static readonly AwsOperation PutBucketVersioning = new("PutBucketVersioning", "s3:PutBucketVersioning", Bucket);
    public static readonly AwsOperation GetBucketVersioning = new("GetBucketVersioning", "s3:GetBucketVersioning", Bucket);
    public static readonly AwsOperation PutBucketEncryption = new("PutBucketEncryption", "s3:PutEncryptionConfiguration", Bucket);
    public static readonly AwsOperation GetBucketEncryption = new("GetBucketEncryption", "s3:GetEncryptionConfiguration", Bucket);
    public static readonly AwsOperation DeleteBucketEncryption = new("DeleteBucketEncryption", "s3:PutEncryptionConfiguration", Bucket);
    public static readonly AwsOperation PutPublicAccessBlock = new("PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock", Bucket);
    public static readonly AwsOperation GetPublicAccessBlock = new("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", Bucket);
    public static readonly AwsOperation DeletePublicAccessBlock = new("DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock", Bucket);
    public static readonly AwsOperation PutBucketTagging = new("PutBucketTagging", "s3:PutBucketTagging", Bucket);
    public static readonly AwsOperation GetBucketTagging = new("GetBucketTagging", "s3:GetBucketTagging", Bucket);
    public static readonly AwsOperation DeleteBucketTagging = new("DeleteBucketTagging", "s3:PutBucketTagging", Bucket);
    public static readonly AwsOperation DeleteObjects = new("DeleteObjects", "s3:DeleteObject", Object);
    public static readonly AwsOperation PutObject = new("PutObject", "s3:PutObject", Object);
    public static readonly AwsOperation CopyObject = new("CopyObject", "s3:PutObject", Object);
    public static readonly AwsOperation GetObject = new("GetObject", "s3:GetObject", Object);
    public static readonly AwsOperation HeadObject = new("HeadObject", "s3:GetObject", Object);
    public static readonly AwsOperation DeleteObject = new("DeleteObject", "s3:DeleteObject", Object);
    public static readonly AwsOperation CreateMultipartUpload = new("CreateMultipartUpload", "s3:PutObject", Object);
    public static readonly AwsOperation UploadPart = new("UploadPart", "s3:PutObject", Object);
    public static readonly AwsOperation CompleteMultipartUpload = new("CompleteMultipartUpload", "s3:PutObject", Object);
    public static readonly AwsOperation AbortMultipartUpload = new("AbortMultipartUpload", "s3:AbortMultipartUpload", Object);
    public static readonly AwsOperation ListParts = new("ListParts", "s3:ListMultipartUploadParts", Object);

    public static IReadOnlyList<AwsOperation> All { get; } =
    [
        ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation, ListObjects, ListObjectsV2, ListObjectVersions,
        PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy, PutBucketVersioning, GetBucketVersioning,
        PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption, PutPublicAccessBlock, GetPublicAccessBlock, DeletePublicAccessBlock,
        PutBucketTagging, GetBucketTagging, DeleteBucketTagging, DeleteObjects, PutObject, CopyObject, GetObject, HeadObject, DeleteObject,
        CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts,
    ];

    // Bucket subresources by method: the query parameter that names one selects its operation.
    private static readonly Dictionary<string, (string Subresource, AwsOperation Operation)[]> BucketSubresources = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PUT"] = [("policy", PutBucketPolicy), ("versioning", PutBucketVersioning), ("encryption", PutBucketEncryption), ("publicAccessBlock", PutPublicAccessBlock), ("tagging", PutBucketTagging)],
        ["GET"] = [("policy", GetBucketPolicy), ("versioning", GetBucketVersioning), ("encryption", GetBucketEncryption), ("publicAccessBlock", GetPublicAccessBlock), ("tagging", GetBucketTagging), ("location", GetBucketLocation), ("versions", ListObjectVersions)],
        ["DELETE"] = [("policy", DeleteBucketPolicy), ("encryption", DeleteBucketEncryption), ("publicAccessBlock", DeletePublicAccessBlock), ("tagging", DeleteBucketTagging)],
        ["POST"] = [("delete", DeleteObjects)],
    };

    // Subresources S3 has that are not served here: named in the error rather than mistaken for the plain operation.
    private static readonly string[] Unserved =
    [
        "acl", "analytics", "accelerate", "cors", "intelligent-tiering", "inventory", "lifecycle", "logging", "metrics", "notification",
        "object-lock", "ownershipControls", "replication", "requestPayment", "website", "uploads", "legal-hold", "retention", "restore",
        "select", "torrent", "attributes", "policyStatus", "tagging",
    ];

    /// <summary>The operation a request selects; S3's errors for one not served here.</summary>
    public static AwsOperation Select(string method, S3Address address, IQueryCollection query, IHeaderDictionary headers)
    {
        if (address.Bucket is null)
        {
            return HttpMethods.IsGet(method) ? ListBuckets : throw S3Errors.MethodNotAllowed();
        }

        if (address.Key is null)
        {
            if (BucketSubresources.TryGetValue(method, out var subresources) && Array.Find(subresources, s => query.ContainsKey(s.Subresource)) is { Operation: { } selected })
            {
                return selected;
            }

            RefuseUnserved(query);
            return method.ToUpperInvariant() switch
            {
                "PUT" => CreateBucket,
                "DELETE" => DeleteBucket,
                "HEAD" => HeadBucket,
                "GET" => query["list-type"] == "2" ? ListObjectsV2 : ListObjects,
                _ => throw S3Errors.MethodNotAllowed(),
            };
        }

        var hasUploadId = query.ContainsKey("uploadId");
        switch (method.ToUpperInvariant())
        {
            case "PUT" when hasUploadId || query.ContainsKey("partNumber"):
                return headers.ContainsKey("x-amz-copy-source") ? throw S3Errors.NotImplemented("UploadPartCopy") : UploadPart;
            case "PUT":
                RefuseUnserved(query);
                return headers.ContainsKey("x-amz-copy-source") ? CopyObject : PutObject;
            case "GET" when hasUploadId:
                return ListParts;
            case "GET":
                RefuseUnserved(query);
                return GetObject;
            case "HEAD":
                return HeadObject;
            case "DELETE" when hasUploadId:
                return AbortMultipartUpload;
            case "DELETE":
                RefuseUnserved(query);
                return DeleteObject;
            case "POST" when query.ContainsKey("uploads"):
                return CreateMultipartUpload;
            case "POST" when hasUploadId:
                return CompleteMultipartUpload;
            default:
                throw S3Errors.MethodNotAllowed();
        }
    }

    private static void RefuseUnserved(IQueryCollection query)
    {
        if (Array.Find(Unserved, query.ContainsKey) is { } subresource)
        {
            throw S3Errors.NotImplemented($"the {subresource} subresource");
        }
    }
}
