using System.Net;
using System.Text;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// Who may do what in S3: identity policies and the bucket policy evaluated together (an explicit deny in either
/// wins; the bucket policy can grant), <c>aws:SecureTransport</c>, <c>s3:prefix</c>, the expected bucket owner and
/// the public access block.
/// </summary>
public sealed class S3AuthorizationTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly string ReaderArn = $"arn:aws:iam::{TestPrincipals.AccountId}:user/reader";

    [Fact]
    public async Task A_bucket_policy_grants_a_caller_no_identity_policy_allows_and_only_what_it_names()
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin);
        using var reader = S3Http.For(factory, TestPrincipals.Reader);
        var bucket = await admin.CreateBucketAsync();
        await admin.PutAsync($"/{bucket}/public/report", "shared"u8.ToArray());
        await admin.PutAsync($"/{bucket}/private/report", "owner only"u8.ToArray());

        var before = await reader.GetAsync($"/{bucket}/public/report");
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (before.Status, before.ErrorCode));
        Assert.Contains($"is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::{bucket}/public/report\"", before.Text, StringComparison.Ordinal);

        await PutPolicyAsync(admin, bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[
              {"Effect":"Allow","Principal":{"AWS":"{{{{ReaderArn}}}}"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/public/*"},
              {"Effect":"Allow","Principal":{"AWS":"{{{{ReaderArn}}}}"},"Action":"s3:ListBucket","Resource":"arn:aws:s3:::{{{{bucket}}}}",
               "Condition":{"StringLike":{"s3:prefix":"public/*"}}}]}
            """);

        Assert.Equal("shared", (await reader.GetAsync($"/{bucket}/public/report")).Text);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/{bucket}/private/report")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsync($"/{bucket}/public/new", [1])).Status);

        // s3:prefix: listing is granted for the prefix the policy names only.
        Assert.Equal(["public/report"], (await reader.GetAsync($"/{bucket}?list-type=2&prefix=public%2F")).Values("Key"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/{bucket}?list-type=2")).Status);

        // A missing key is 404 to a caller who may list there and 403 to one who may not, as S3 answers.
        Assert.Equal("NoSuchKey", (await admin.GetAsync($"/{bucket}/public/none")).ErrorCode);
        Assert.Equal("AccessDenied", (await reader.GetAsync($"/{bucket}/public/none")).ErrorCode);
    }

    [Fact]
    public async Task An_explicit_deny_in_the_bucket_policy_wins_over_an_identity_policy_that_allows_everything()
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        await admin.PutAsync($"/{bucket}/locked/x", [1]);
        var adminArn = $"arn:aws:iam::{TestPrincipals.AccountId}:user/admin";
        await PutPolicyAsync(admin, bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/locked/*",
              "Condition":{"StringEquals":{"aws:PrincipalArn":"{{{{adminArn}}}}"}}}]}
            """);

        var denied = await admin.DeleteAsync($"/{bucket}/locked/x");
        Assert.Equal(HttpStatusCode.Forbidden, denied.Status);
        Assert.Contains("explicit deny in a resource-based policy", denied.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/{bucket}/locked/x")).Status);
    }

    [Fact]
    public async Task A_TLS_only_bucket_policy_denies_the_same_signed_read_over_HTTP_and_serves_it_over_HTTPS()
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin, https: true);
        using var plain = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        await admin.PutAsync($"/{bucket}/asset.zip", "zip bytes"u8.ToArray());
        await PutPolicyAsync(admin, bucket, $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*",
              "Resource":["arn:aws:s3:::{{{{bucket}}}}","arn:aws:s3:::{{{{bucket}}}}/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """);

        var overHttp = await plain.GetAsync($"/{bucket}/asset.zip");
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (overHttp.Status, overHttp.ErrorCode));
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.PutAsync($"/{bucket}/other", [1])).Status);
        Assert.Equal("zip bytes", (await admin.GetAsync($"/{bucket}/asset.zip")).Text);
    }

    [Fact]
    public async Task The_expected_bucket_owner_must_be_this_account()
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        var wrong = await admin.PutAsync($"/{bucket}/k", [1], new Dictionary<string, string> { ["x-amz-expected-bucket-owner"] = "111122223333" });
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (wrong.Status, wrong.ErrorCode));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/{bucket}/k")).Status);
        var right = await admin.PutAsync($"/{bucket}/k", [1], new Dictionary<string, string> { ["x-amz-expected-bucket-owner"] = TestPrincipals.AccountId });
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Fact]
    public async Task The_public_access_block_refuses_a_public_policy_and_public_ACLs_until_it_is_lifted()
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        var publicRead = $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/*"}]}
            """;
        var blocked = await admin.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(publicRead));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (blocked.Status, blocked.ErrorCode));
        Assert.Contains("BlockPublicPolicy", blocked.Text, StringComparison.Ordinal);
        Assert.Equal("NoSuchBucketPolicy", (await admin.GetAsync($"/{bucket}?policy")).ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PutAsync($"/{bucket}/acl", [1], new Dictionary<string, string> { ["x-amz-acl"] = "public-read" })).Status);

        // Pinned to an account, "*" is not public.
        var pinned = $$$$"""
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{{{bucket}}}}/*",
              "Condition":{"StringEquals":{"aws:PrincipalAccount":"{{{{TestPrincipals.AccountId}}}}"}}}]}
            """;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(pinned))).Status);

        await admin.DeleteAsync($"/{bucket}?publicAccessBlock");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(publicRead))).Status);
        Assert.Equal(publicRead, (await admin.GetAsync($"/{bucket}?policy")).Text);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/{bucket}?policy")).Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*","Principal":"*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""")]
    public async Task A_malformed_bucket_policy_is_refused(string policy)
    {
        using var admin = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await admin.CreateBucketAsync();
        var refused = await admin.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(policy));
        Assert.Equal((HttpStatusCode.BadRequest, "MalformedPolicy"), (refused.Status, refused.ErrorCode));
    }

    private static async Task PutPolicyAsync(S3Http s3, string bucket, string policy)
    {
        var put = await s3.PutAsync($"/{bucket}?policy", Encoding.UTF8.GetBytes(policy));
        Assert.True(put.Status == HttpStatusCode.NoContent, put.Text);
    }
}
