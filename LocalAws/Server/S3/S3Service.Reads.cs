using Tap.LocalAws.Iam;

namespace Tap.LocalAws.S3;

/// <summary>Reads of S3 objects on behalf of another service (CloudFormation's <c>TemplateURL</c>), authorized exactly as the caller's own GetObject.</summary>
internal sealed partial class S3Service
{
    /// <summary>
    /// The current version of <paramref name="key"/>, read as <paramref name="access"/>'s caller: the caller's
    /// policies and the bucket's decide, a missing key is 404 only to a caller who may list the bucket, and an
    /// object over <paramref name="maxBytes"/> is refused before it is read.
    /// </summary>
    public async Task<byte[]> ReadObjectAsync(AccessCheck access, string bucketName, string key, int maxBytes, CancellationToken cancellationToken, string? versionId = null)
    {
        ArgumentNullException.ThrowIfNull(access);
        var bucket = store.FindBucket(bucketName) ?? throw S3Errors.NoSuchBucket();
        var arn = ObjectArn(bucket.Name, key);
        if (!access.IsAllowed(versionId is null ? "s3:GetObject" : "s3:GetObjectVersion", arn, Policy(bucket), out _))
        {
            throw S3Errors.AccessDenied();
        }

        await using var opened = store.OpenVersion(bucket.Name, key, versionId);
        var version = opened?.Version;
        if (version is null or { IsDeleteMarker: true })
        {
            throw access.IsAllowed("s3:ListBucket", BucketArn(bucket.Name), Policy(bucket), out _) ? S3Errors.NoSuchKey() : S3Errors.AccessDenied();
        }

        if (version.Size > maxBytes)
        {
            throw S3Errors.EntityTooLarge(maxBytes);
        }

        var bytes = new byte[version.Size];
        if (opened!.Data is { } data)
        {
            await data.ReadExactlyAsync(bytes, cancellationToken);
        }

        return bytes;
    }
}
