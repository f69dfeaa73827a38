using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// S3 through the official AWS SDK for .NET, signing as it does by default: over HTTP each chunk signed with a
/// CRC-32 trailer, over HTTPS an unsigned payload with the trailer; its TransferUtility's multipart upload; its
/// exception types and error codes.
/// </summary>
[Trait("Category", "Process")]
public sealed class S3OfficialSdkTests(S3ProcessFixture s3) : IClassFixture<S3ProcessFixture>
{
    public static TheoryData<bool> Transports => new(true, false);

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_official_SDK_puts_ranges_copies_lists_and_deletes_objects(bool https)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(https);
        var bucket = S3Http.NewBucket();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancel);
        var data = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);

        var put = await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "docs/one.bin",
            InputStream = new MemoryStream(data),
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        }, cancel);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(data)), put.ChecksumSHA256);

        using (var ranged = await client.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "docs/one.bin", ByteRange = new ByteRange(100, 199) }, cancel))
        {
            Assert.Equal(data[100..200], await ReadAllAsync(ranged.ResponseStream));
            Assert.Equal(HttpStatusCode.PartialContent, ranged.HttpStatusCode);
        }

        await client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "docs/one.bin", DestinationBucket = bucket, DestinationKey = "docs/copy.bin" }, cancel);
        using (var copied = await client.GetObjectAsync(bucket, "docs/copy.bin", cancel))
        {
            Assert.Equal(data, await ReadAllAsync(copied.ResponseStream));
        }

        var listed = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = "docs/" }, cancel);
        Assert.Equal(["docs/copy.bin", "docs/one.bin"], listed.S3Objects.Select(o => o.Key));

        var deleted = await client.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = bucket,
            Objects = [new KeyVersion { Key = "docs/one.bin" }, new KeyVersion { Key = "docs/copy.bin" }],
        }, cancel);
        Assert.Equal(2, deleted.DeletedObjects.Count);

        var missing = await Assert.ThrowsAsync<NoSuchKeyException>(() => client.GetObjectAsync(bucket, "docs/one.bin", cancel));
        Assert.Equal(("NoSuchKey", HttpStatusCode.NotFound), (missing.ErrorCode, missing.StatusCode));
        var owned = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.GetBucketVersioningAsync(
            new GetBucketVersioningRequest { BucketName = bucket, ExpectedBucketOwner = "111122223333" }, cancel));
        Assert.Equal(("AccessDenied", HttpStatusCode.Forbidden), (owned.ErrorCode, owned.StatusCode));
        await client.DeleteBucketAsync(bucket, cancel);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_TransferUtility_uploads_12_MB_in_parts_and_reads_it_back(bool https)
    {
        var cancel = TestContext.Current.CancellationToken;
        using var client = Client(https);
        var bucket = await s3.CreateBucketAsync();
        using var transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = 5 * 1024 * 1024 });

        await transfer.UploadAsync(new TransferUtilityUploadRequest
        {
            BucketName = bucket,
            Key = "large.bin",
            FilePath = s3.LargeFile,
            PartSize = 5 * 1024 * 1024,
        }, cancel);

        var head = await client.GetObjectMetadataAsync(bucket, "large.bin", cancel);
        Assert.Equal(S3ProcessFixture.LargeObjectBytes, head.ContentLength);
        Assert.EndsWith("-3\"", head.ETag, StringComparison.Ordinal);
        using var got = await client.GetObjectAsync(bucket, "large.bin", cancel);
        var file = await File.ReadAllBytesAsync(s3.LargeFile, cancel);
        var read = await ReadAllAsync(got.ResponseStream);
        Assert.True(file.AsSpan().SequenceEqual(read), "The object read back differs from the file.");
    }

    [Fact]
    public async Task A_caller_with_a_wrong_secret_is_refused_with_SignatureDoesNotMatch()
    {
        using var client = new AmazonS3Client(new BasicAWSCredentials(TestPrincipals.Admin.AccessKey, "not-the-secret"), Config(https: true));
        var refused = await Assert.ThrowsAsync<AmazonS3Exception>(() => client.ListBucketsAsync(TestContext.Current.CancellationToken));
        Assert.Equal(("SignatureDoesNotMatch", HttpStatusCode.Forbidden), (refused.ErrorCode, refused.StatusCode));
    }

    private AmazonS3Client Client(bool https) => new(TestPrincipals.Admin.ToAwsCredentials(), Config(https));

    private AmazonS3Config Config(bool https) => new()
    {
        ServiceURL = (https ? s3.Https : s3.Http).ToString(),
        AuthenticationRegion = "us-east-1",
        ForcePathStyle = true,
        MaxErrorRetry = 0,
        HttpClientFactory = new TrustingHttpClientFactory(s3.Ca),
    };

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    /// <summary>The SDK's HTTP clients, trusting LocalAws's CA as a custom root.</summary>
    private sealed class TrustingHttpClientFactory(X509Certificate2 ca) : HttpClientFactory
    {
#pragma warning disable CA2000 // The HttpClient disposes its handler.
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(SignedHttpClient.Sockets(ca));
#pragma warning restore CA2000
    }
}
