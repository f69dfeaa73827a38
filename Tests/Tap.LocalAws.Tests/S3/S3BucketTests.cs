using System.Net;
using System.Text;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>Buckets over S3's REST-XML wire protocol: their lifecycle, names, configuration and S3's error shapes.</summary>
public sealed class S3BucketTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    [Fact]
    public async Task A_bucket_is_created_listed_found_located_and_deleted()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();

        var list = await s3.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(bucket, list.Values("Name"));

        var head = await s3.SendAsync(HttpMethod.Head, "/" + bucket);
        Assert.Equal((HttpStatusCode.OK, "us-east-1"), (head.Status, head.Header("x-amz-bucket-region")));

        // us-east-1 is "no constraint"; re-creating one's own bucket there is S3's legacy 200.
        Assert.Equal([string.Empty], (await s3.GetAsync($"/{bucket}?location")).Values("LocationConstraint"));
        Assert.Equal(HttpStatusCode.OK, (await s3.SendAsync(HttpMethod.Put, "/" + bucket)).Status);

        Assert.Equal(HttpStatusCode.NoContent, (await s3.DeleteAsync("/" + bucket)).Status);
        var gone = await s3.SendAsync(HttpMethod.Head, "/" + bucket);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Empty(gone.Body);
        var missing = await s3.GetAsync($"/{bucket}?list-type=2");
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchBucket"), (missing.Status, missing.ErrorCode));
        Assert.Equal(missing.Header("x-amz-request-id"), missing.Values("RequestId").Single());
    }

    [Theory]
    [InlineData("UPPER-case")]
    [InlineData("ab")]
    [InlineData("192.168.10.1")]
    [InlineData("two..dots")]
    [InlineData("-leading-hyphen")]
    [InlineData("xn--punycode")]
    [InlineData("under_score")]
    public async Task An_invalid_bucket_name_is_refused(string name)
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var created = await s3.SendAsync(HttpMethod.Put, "/" + name);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidBucketName"), (created.Status, created.ErrorCode));
    }

    [Fact]
    public async Task A_location_constraint_must_name_this_region_and_a_bucket_with_objects_cannot_be_deleted()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var elsewhere = await s3.PutAsync("/" + S3Http.NewBucket(), Encoding.UTF8.GetBytes(
            "<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>"));
        Assert.Equal((HttpStatusCode.BadRequest, "IllegalLocationConstraintException"), (elsewhere.Status, elsewhere.ErrorCode));

        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/kept", [1, 2, 3]);
        var refused = await s3.DeleteAsync("/" + bucket);
        Assert.Equal((HttpStatusCode.Conflict, "BucketNotEmpty"), (refused.Status, refused.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, (await s3.GetAsync($"/{bucket}/kept")).Status);
    }

    [Fact]
    public async Task Versioning_encryption_tagging_and_the_public_access_block_are_kept_and_reported()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();

        Assert.Empty((await s3.GetAsync($"/{bucket}?versioning")).Values("Status"));
        await s3.PutAsync($"/{bucket}?versioning", Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"));
        Assert.Equal(["Enabled"], (await s3.GetAsync($"/{bucket}?versioning")).Values("Status"));
        var invalid = await s3.PutAsync($"/{bucket}?versioning", Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>Off</Status></VersioningConfiguration>"));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedXML"), (invalid.Status, invalid.ErrorCode));

        // Every new bucket encrypts with SSE-S3 and blocks public access, as S3's have since 2023.
        Assert.Equal(["AES256"], (await s3.GetAsync($"/{bucket}?encryption")).Values("SSEAlgorithm"));
        Assert.Equal(["true", "true", "true", "true"], BlockValues(await s3.GetAsync($"/{bucket}?publicAccessBlock")));
        await s3.PutAsync($"/{bucket}?encryption", Encoding.UTF8.GetBytes(
            "<ServerSideEncryptionConfiguration><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>alias/local</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>"));
        var encryption = await s3.GetAsync($"/{bucket}?encryption");
        Assert.Equal(["aws:kms", "alias/local", "true"], [.. encryption.Values("SSEAlgorithm"), .. encryption.Values("KMSMasterKeyID"), .. encryption.Values("BucketKeyEnabled")]);
        var put = await s3.PutAsync($"/{bucket}/encrypted", [9]);
        Assert.Equal(("aws:kms", "alias/local"), (put.Header("x-amz-server-side-encryption"), put.Header("x-amz-server-side-encryption-aws-kms-key-id")));

        Assert.Equal(HttpStatusCode.NoContent, (await s3.DeleteAsync($"/{bucket}?publicAccessBlock")).Status);
        var noBlock = await s3.GetAsync($"/{bucket}?publicAccessBlock");
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchPublicAccessBlockConfiguration"), (noBlock.Status, noBlock.ErrorCode));

        Assert.Equal("NoSuchTagSet", (await s3.GetAsync($"/{bucket}?tagging")).ErrorCode);
        await s3.PutAsync($"/{bucket}?tagging", Encoding.UTF8.GetBytes("<Tagging><TagSet><Tag><Key>env</Key><Value>dev</Value></Tag></TagSet></Tagging>"));
        var tagging = await s3.GetAsync($"/{bucket}?tagging");
        Assert.Equal(["env", "dev"], [.. tagging.Values("Key"), .. tagging.Values("Value")]);
        var duplicate = await s3.PutAsync($"/{bucket}?tagging", Encoding.UTF8.GetBytes(
            "<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag><Tag><Key>a</Key><Value>2</Value></Tag></TagSet></Tagging>"));
        Assert.Equal("InvalidTag", duplicate.ErrorCode);
    }

    [Fact]
    public async Task Unsigned_unknown_and_unserved_requests_get_S3s_errors()
    {
        using var anonymous = factory.CreateClient();
        using var unsigned = await anonymous.GetAsync(new Uri("/any-bucket/key", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("<Code>AccessDenied</Code>", await unsigned.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var stranger = S3Http.For(factory, TestCredentials.New());
        Assert.Equal("InvalidAccessKeyId", (await stranger.GetAsync("/")).ErrorCode);

        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var lifecycle = await s3.GetAsync($"/{bucket}?lifecycle");
        Assert.Equal((HttpStatusCode.NotImplemented, "NotImplemented"), (lifecycle.Status, lifecycle.ErrorCode));
    }

    private static readonly string[] BlockSettings = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"];

    private static IEnumerable<string> BlockValues(S3Response response) => BlockSettings.SelectMany(response.Values);
}
