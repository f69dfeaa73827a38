using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Tap.Aws.Signing;
using Tap.LocalAws.Iam;
using Tap.LocalAws.S3.Payload;
using Tap.LocalAws.S3.Storage;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.S3;

/// <summary>
/// S3's operations over the <see cref="S3Store"/>: each finds its bucket (S3's NoSuchBucket comes before any
/// authorization, as bucket names are global), checks <c>x-amz-expected-bucket-owner</c>, then asks IAM with the
/// bucket's policy as the resource policy, so an identity policy and a bucket policy grant together and an explicit
/// deny in either wins.
/// </summary>
internal sealed partial class S3Service(S3Store store, IamDirectory iam, LocalAwsSettings settings, TimeProvider clock)
{
    public const string BucketParameter = "Bucket";
    public const string KeyParameter = "Key";

    /// <summary>The largest configuration document (a bucket policy is at most 20 KB; a DeleteObjects list of 1,000 keys fits).</summary>
    private const int MaxDocumentBytes = 2 * 1024 * 1024;

    private readonly ConditionalWeakTable<string, PolicyDocument> _policies = [];

    private string OwnerId { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("localaws:" + settings.AccountId)));

    public Task HandleAsync(AwsCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = new S3Call(call);
        return call.Operation.Name switch
        {
            nameof(S3Operations.ListBuckets) => ListBucketsAsync(request),
            nameof(S3Operations.CreateBucket) => CreateBucketAsync(request),
            nameof(S3Operations.DeleteBucket) => DeleteBucket(request),
            nameof(S3Operations.HeadBucket) => HeadBucket(request),
            nameof(S3Operations.GetBucketLocation) => GetBucketLocationAsync(request),
            nameof(S3Operations.ListObjects) => ListObjectsAsync(request, version2: false),
            nameof(S3Operations.ListObjectsV2) => ListObjectsAsync(request, version2: true),
            nameof(S3Operations.ListObjectVersions) => ListObjectVersionsAsync(request),
            nameof(S3Operations.PutBucketPolicy) => PutBucketPolicyAsync(request),
            nameof(S3Operations.GetBucketPolicy) => GetBucketPolicyAsync(request),
            nameof(S3Operations.DeleteBucketPolicy) => UpdateBucket(request, b => b with { Policy = null }),
            nameof(S3Operations.PutBucketVersioning) => PutBucketVersioningAsync(request),
            nameof(S3Operations.GetBucketVersioning) => GetBucketVersioningAsync(request),
            nameof(S3Operations.PutBucketEncryption) => PutBucketEncryptionAsync(request),
            nameof(S3Operations.GetBucketEncryption) => GetBucketEncryptionAsync(request),
            nameof(S3Operations.DeleteBucketEncryption) => UpdateBucket(request, b => b with { Encryption = BucketEncryption.S3Managed }),
            nameof(S3Operations.PutPublicAccessBlock) => PutPublicAccessBlockAsync(request),
            nameof(S3Operations.GetPublicAccessBlock) => GetPublicAccessBlockAsync(request),
            nameof(S3Operations.DeletePublicAccessBlock) => UpdateBucket(request, b => b with { PublicAccessBlock = null }),
            nameof(S3Operations.PutBucketTagging) => PutBucketTaggingAsync(request),
            nameof(S3Operations.GetBucketTagging) => GetBucketTaggingAsync(request),
            nameof(S3Operations.DeleteBucketTagging) => UpdateBucket(request, b => b with { Tags = null }),
            nameof(S3Operations.DeleteObjects) => DeleteObjectsAsync(request),
            nameof(S3Operations.PutObject) => PutObjectAsync(request),
            nameof(S3Operations.CopyObject) => CopyObjectAsync(request),
            nameof(S3Operations.GetObject) => GetObjectAsync(request, withBody: true),
            nameof(S3Operations.HeadObject) => GetObjectAsync(request, withBody: false),
            nameof(S3Operations.DeleteObject) => DeleteObject(request),
            nameof(S3Operations.CreateMultipartUpload) => CreateMultipartUploadAsync(request),
            nameof(S3Operations.UploadPart) => UploadPartAsync(request),
            nameof(S3Operations.CompleteMultipartUpload) => CompleteMultipartUploadAsync(request),
            nameof(S3Operations.AbortMultipartUpload) => AbortMultipartUpload(request),
            nameof(S3Operations.ListParts) => ListPartsAsync(request),
            _ => throw S3Errors.NotImplemented(call.Operation.Name),
        };
    }

    /// <summary>
    /// Runs a bucket operation as <paramref name="caller"/> over TLS, as another LocalAws service acting for a caller
    /// does (CloudFormation's resource handlers): the same checks, IAM evaluation and bucket policy as a client's call.
    /// </summary>
    /// <returns>The answer's status and body; a refusal throws S3's error.</returns>
    public async Task<(int Status, byte[] Body)> InvokeAsync(AwsOperation operation, CallerIdentity caller, string bucket, byte[] body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(body);
        var context = new DefaultHttpContext { RequestAborted = cancellationToken };
        context.Request.IsHttps = true;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        using var response = new MemoryStream();
        context.Response.Body = response;
        var access = new AccessCheck(caller, operation, settings.Region, secureTransport: true, Tap.Aws.Protocol.AwsProtocol.RestXml);
        await HandleAsync(new AwsCall(context, operation, [], new Dictionary<string, string> { [BucketParameter] = bucket }, access, Guid.NewGuid().ToString()));
        return (context.Response.StatusCode, response.ToArray());
    }

    /// <summary>The bucket the request names, or S3's NoSuchBucket.</summary>
    private BucketRecord FindBucket(S3Call request) =>
        store.FindBucket(request.Bucket) ?? throw S3Errors.NoSuchBucket();

    /// <summary>Finds the bucket and demands the operation's action on it (or on the key it names).</summary>
    private BucketRecord Authorize(S3Call request, IReadOnlyDictionary<string, string>? requestKeys = null)
    {
        var bucket = FindBucket(request);
        Demand(request, bucket, request.Call.Operation.IamAction!, request.Key is null ? BucketArn(bucket.Name) : ObjectArn(bucket.Name, request.Key), requestKeys);
        return bucket;
    }

    /// <summary>Demands <paramref name="action"/> on <paramref name="resource"/>, with the bucket's policy, for its owner only.</summary>
    private void Demand(S3Call request, BucketRecord bucket, string action, string resource, IReadOnlyDictionary<string, string>? requestKeys = null, string ownerHeader = "x-amz-expected-bucket-owner")
    {
        if (request.Http.Request.Headers[ownerHeader].ToString() is { Length: > 0 } expected && expected != settings.AccountId)
        {
            throw S3Errors.AccessDenied();
        }

        request.Access.Demand(action, resource, Policy(bucket), requestedAs: $"\"{resource}\"", requestKeys: requestKeys);
    }

    /// <summary>Whether the caller may do <paramref name="action"/> (without throwing), e.g. ListBucket, which decides 404 or 403 for a missing key.</summary>
    private bool IsAllowed(S3Call request, BucketRecord bucket, string action, string resource) =>
        request.Access.IsAllowed(action, resource, Policy(bucket), out _);

    private PolicyDocument? Policy(BucketRecord bucket) =>
        bucket.Policy is { } json ? _policies.GetValue(json, PolicyDocument.Parse) : null;

    private Task UpdateBucket(S3Call request, Func<BucketRecord, BucketRecord> change)
    {
        Authorize(request);
        store.UpdateBucket(request.Bucket, change);
        request.Http.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>A small request document (configuration, a key list), its signature and checksums checked like any body.</summary>
    private async Task<byte[]> ReadDocumentAsync(S3Call request, int maxBytes = MaxDocumentBytes)
    {
        using var buffer = new MemoryStream();
        await S3PayloadReader.ReadAsync(request.Http.Request, ChunkSigning(request), buffer, maxBytes, extra: null, request.Http.RequestAborted);
        return buffer.ToArray();
    }

    /// <summary>The chunk-signing context of a header-signed request (a presigned URL has none).</summary>
    private ChunkSigningContext? ChunkSigning(S3Call request)
    {
        var authorization = request.Call.Signature;
        return authorization is { IsPresigned: false } && iam.TryGetSecretAccessKey(authorization.AccessKeyId, authorization.SessionToken, out var secret)
            ? new ChunkSigningContext(SigningKey.Derive(secret, authorization.Scope), authorization)
            : null;
    }

    private static string BucketArn(string bucket) => "arn:aws:s3:::" + bucket;

    private static string ObjectArn(string bucket, string key) => $"arn:aws:s3:::{bucket}/{key}";

    private DateTimeOffset Now()
    {
        // S3's timestamps have millisecond precision; stored ones compare equal to what clients read back.
        var now = clock.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    /// <summary>One S3 request: the call and what its route named.</summary>
    private sealed class S3Call(AwsCall call)
    {
        public AwsCall Call => call;

        public HttpContext Http => call.Context;

        public AccessCheck Access => call.Access;

        public string Bucket => call.Parameters[BucketParameter];

        public string? Key => call.Parameters.GetValueOrDefault(KeyParameter);

        public string RequiredKey => Key!;

        public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

        public string? Header(string name) => Http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
    }
}
