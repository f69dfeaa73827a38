using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>Objects over S3's REST-XML wire protocol: written, read whole and in ranges, addressed either way, versioned, copied, listed and deleted.</summary>
public sealed class S3ObjectTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    [Theory]
    [InlineData("plain.txt")]
    [InlineData("dir/sub dir/with space+plus%percent.txt")]
    [InlineData("unicode/ü-中文-😀.bin")]
    [InlineData("double//slash/")]
    [InlineData("?question&amp=#hash")]
    public async Task An_object_reads_back_with_its_headers_path_style_and_virtual_hosted(string key)
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var body = RandomNumberGenerator.GetBytes(3000);
        var path = $"/{bucket}/{UriEncoding.Encode(key, encodeSlash: false)}";
        var put = await s3.PutAsync(path, body, new Dictionary<string, string>
        {
            ["Content-Type"] = "application/x-test",
            ["x-amz-meta-Owner"] = "team-a",
            ["Cache-Control"] = "max-age=60",
        });
        Assert.True(put.Status == HttpStatusCode.OK, put.Text);
        Assert.Equal($"\"{Convert.ToHexStringLower(S3Http.Md5(body))}\"", put.Header("ETag"));

        var got = await s3.GetAsync(path);
        Assert.Equal(body, got.Body);
        Assert.Equal(("application/x-test", "team-a", "max-age=60", "AES256"), (got.Header("Content-Type"), got.Header("x-amz-meta-owner"), got.Header("Cache-Control"), got.Header("x-amz-server-side-encryption")));

        var virtualHosted = await s3.SendAsync(HttpMethod.Get, "/" + UriEncoding.Encode(key, encodeSlash: false), host: $"{bucket}.s3.localhost");
        Assert.Equal(body, virtualHosted.Body);
        var regional = await s3.SendAsync(HttpMethod.Head, "/" + UriEncoding.Encode(key, encodeSlash: false), host: $"{bucket}.s3.us-east-1.localhost");
        Assert.Equal(("3000", put.Header("ETag")), (regional.Header("Content-Length"), regional.Header("ETag")));

        var listed = await s3.GetAsync($"/{bucket}?list-type=2&encoding-type=url");
        Assert.Equal([key], listed.Values("Key").Select(Uri.UnescapeDataString));
    }

    [Theory]
    [InlineData("bytes=0-4", 206, 0, 5)]
    [InlineData("bytes=95-", 206, 95, 5)]
    [InlineData("bytes=-3", 206, 97, 3)]
    [InlineData("bytes=90-1000", 206, 90, 10)]
    [InlineData("items=0-4", 200, 0, 100)]
    public async Task A_range_returns_the_bytes_S3_would(string range, int status, int offset, int length)
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var body = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        await s3.PutAsync($"/{bucket}/r", body);
        var got = await s3.GetAsync($"/{bucket}/r", new Dictionary<string, string> { ["Range"] = range });
        Assert.Equal((HttpStatusCode)status, got.Status);
        Assert.Equal(body.AsSpan(offset, length).ToArray(), got.Body);
        if (status == 206)
        {
            Assert.Equal($"bytes {offset}-{offset + length - 1}/100", got.Header("Content-Range"));
        }

        var past = await s3.GetAsync($"/{bucket}/r", new Dictionary<string, string> { ["Range"] = "bytes=100-" });
        Assert.Equal((HttpStatusCode.RequestedRangeNotSatisfiable, "InvalidRange"), (past.Status, past.ErrorCode));
    }

    [Fact]
    public async Task A_read_racing_overwrites_and_deletes_gets_one_whole_version_or_none()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        byte[][] versions = [[.. Enumerable.Repeat((byte)1, 5000)], [.. Enumerable.Repeat((byte)2, 7000)]];
        await s3.PutAsync($"/{bucket}/hot", versions[0]);

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 60; i++)
            {
                await (i % 5 == 4 ? s3.DeleteAsync($"/{bucket}/hot") : s3.PutAsync($"/{bucket}/hot", versions[i % 2]));
            }
        }, TestContext.Current.CancellationToken);
        var reads = new List<S3Response>();
        while (!writer.IsCompleted)
        {
            reads.Add(await s3.GetAsync($"/{bucket}/hot", new Dictionary<string, string> { ["Range"] = "bytes=0-" }));
        }

        await writer;
        Assert.All(reads, read => Assert.True(
            read.Status == HttpStatusCode.NotFound || (read.Status == HttpStatusCode.PartialContent && versions.Any(v => v.AsSpan().SequenceEqual(read.Body))),
            $"{(int)read.Status} {read.ErrorCode} ({read.Body.Length} bytes)"));
    }

    [Fact]
    public async Task Conditional_reads_answer_304_and_412()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var etag = (await s3.PutAsync($"/{bucket}/c", [1, 2, 3])).Header("ETag")!;
        Assert.Equal(HttpStatusCode.NotModified, (await s3.GetAsync($"/{bucket}/c", new Dictionary<string, string> { ["If-None-Match"] = etag })).Status);
        Assert.Equal(HttpStatusCode.OK, (await s3.GetAsync($"/{bucket}/c", new Dictionary<string, string> { ["If-Match"] = etag })).Status);
        var failed = await s3.GetAsync($"/{bucket}/c", new Dictionary<string, string> { ["If-Match"] = "\"0123\"" });
        Assert.Equal((HttpStatusCode.PreconditionFailed, "PreconditionFailed"), (failed.Status, failed.ErrorCode));
    }

    [Fact]
    public async Task A_versioned_bucket_keeps_every_version_and_hides_a_deleted_key_behind_a_marker()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var unversioned = await s3.PutAsync($"/{bucket}/v", "zero"u8.ToArray());
        Assert.Null(unversioned.Header("x-amz-version-id"));
        await s3.PutAsync($"/{bucket}?versioning", Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"));
        var first = (await s3.PutAsync($"/{bucket}/v", "one"u8.ToArray())).Header("x-amz-version-id")!;
        var second = (await s3.PutAsync($"/{bucket}/v", "two"u8.ToArray())).Header("x-amz-version-id")!;
        Assert.NotEqual(first, second);

        Assert.Equal("two", (await s3.GetAsync($"/{bucket}/v")).Text);
        Assert.Equal("one", (await s3.GetAsync($"/{bucket}/v?versionId={first}")).Text);
        Assert.Equal("zero", (await s3.GetAsync($"/{bucket}/v?versionId=null")).Text);

        var deleted = await s3.DeleteAsync($"/{bucket}/v");
        Assert.Equal("true", deleted.Header("x-amz-delete-marker"));
        var hidden = await s3.GetAsync($"/{bucket}/v");
        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey", "true"), (hidden.Status, hidden.ErrorCode, hidden.Header("x-amz-delete-marker")));
        Assert.Empty((await s3.GetAsync($"/{bucket}?list-type=2")).Values("Key"));

        var versions = await s3.GetAsync($"/{bucket}?versions");
        Assert.Equal([second, first, "null"], ElementsVersionIds(versions, "Version"));
        Assert.Equal([deleted.Header("x-amz-version-id")!], ElementsVersionIds(versions, "DeleteMarker"));

        // Deleting the marker itself brings the key back.
        await s3.DeleteAsync($"/{bucket}/v?versionId={deleted.Header("x-amz-version-id")}");
        Assert.Equal("two", (await s3.GetAsync($"/{bucket}/v")).Text);

        // Suspended: new writes replace the "null" version only.
        await s3.PutAsync($"/{bucket}?versioning", Encoding.UTF8.GetBytes("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"));
        Assert.Equal("null", (await s3.PutAsync($"/{bucket}/v", "three"u8.ToArray())).Header("x-amz-version-id"));
        Assert.Equal(["null", second, first], ElementsVersionIds(await s3.GetAsync($"/{bucket}?versions"), "Version"));
        Assert.Equal("three", (await s3.GetAsync($"/{bucket}/v?versionId=null")).Text);
    }

    [Fact]
    public async Task Listing_pages_through_keys_and_common_prefixes_in_UTF8_order()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        string[] keys = ["a/1", "a/2", "b", "c/1", "c/2/x", "\uFFFD", "😀"];
        foreach (var key in keys)
        {
            await s3.PutAsync($"/{bucket}/{UriEncoding.Encode(key, encodeSlash: false)}", [1]);
        }

        // U+FFFD sorts before U+1F600 in UTF-8 (code point) order, although not in UTF-16's.
        Assert.Equal(keys, (await s3.GetAsync($"/{bucket}?list-type=2&encoding-type=url")).Values("Key").Select(Uri.UnescapeDataString));

        var pages = new List<string>();
        string? token = null;
        do
        {
            var page = await s3.GetAsync($"/{bucket}?list-type=2&delimiter=%2F&max-keys=1" + (token is null ? string.Empty : "&continuation-token=" + Uri.EscapeDataString(token)));
            pages.Add(string.Join(",", page.Values("Key").Concat(page.Values("Prefix").Skip(1))));
            token = page.Values("NextContinuationToken").SingleOrDefault();
            Assert.Equal(token is not null ? "true" : "false", page.Values("IsTruncated").Single());
        }
        while (token is not null);

        Assert.Equal(["a/", "b", "c/", "\uFFFD", "😀"], pages);

        var v1 = await s3.GetAsync($"/{bucket}?prefix=c%2F&marker=c%2F1");
        Assert.Equal(["c/2/x"], v1.Values("Key"));
        Assert.Equal("InvalidArgument", (await s3.GetAsync($"/{bucket}?list-type=2&max-keys=-1")).ErrorCode);
    }

    [Fact]
    public async Task Copying_keeps_or_replaces_metadata_and_refuses_a_copy_onto_itself_that_changes_nothing()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/source", "copied"u8.ToArray(), new Dictionary<string, string> { ["x-amz-meta-a"] = "1", ["Content-Type"] = "text/plain" });

        var copy = await s3.PutAsync($"/{bucket}/copy", [], new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{bucket}/source" });
        Assert.True(copy.Status == HttpStatusCode.OK, copy.Text);
        Assert.Single(copy.Values("ETag"));
        var got = await s3.GetAsync($"/{bucket}/copy");
        Assert.Equal(("copied", "1", "text/plain"), (got.Text, got.Header("x-amz-meta-a"), got.Header("Content-Type")));

        var replaced = await s3.PutAsync($"/{bucket}/copy", [], new Dictionary<string, string>
        {
            ["x-amz-copy-source"] = $"{bucket}/source",
            ["x-amz-metadata-directive"] = "REPLACE",
            ["x-amz-meta-b"] = "2",
        });
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        var after = await s3.SendAsync(HttpMethod.Head, $"/{bucket}/copy");
        Assert.Equal((null, "2"), (after.Header("x-amz-meta-a"), after.Header("x-amz-meta-b")));

        var onto = await s3.PutAsync($"/{bucket}/source", [], new Dictionary<string, string> { ["x-amz-copy-source"] = $"{bucket}/source" });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequest"), (onto.Status, onto.ErrorCode));
        var missing = await s3.PutAsync($"/{bucket}/x", [], new Dictionary<string, string> { ["x-amz-copy-source"] = $"{bucket}/none" });
        Assert.Equal("NoSuchKey", missing.ErrorCode);
    }

    [Fact]
    public async Task DeleteObjects_reports_each_key_and_needs_a_digest()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/one", [1]);
        var document = Encoding.UTF8.GetBytes("<Delete><Object><Key>one</Key></Object><Object><Key>never</Key></Object></Delete>");

        var undigested = await s3.SendAsync(HttpMethod.Post, $"/{bucket}?delete", document);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidRequest"), (undigested.Status, undigested.ErrorCode));

        var digest = new Dictionary<string, string> { ["Content-MD5"] = Convert.ToBase64String(S3Http.Md5(document)) };
        var deleted = await s3.SendAsync(HttpMethod.Post, $"/{bucket}?delete", document, digest);
        Assert.Equal(["one", "never"], deleted.Values("Key"));
        Assert.Equal(HttpStatusCode.NotFound, (await s3.GetAsync($"/{bucket}/one")).Status);

        var wrongDigest = await s3.SendAsync(HttpMethod.Post, $"/{bucket}?delete", document, new Dictionary<string, string> { ["Content-MD5"] = Convert.ToBase64String(new byte[16]) });
        Assert.Equal("BadDigest", wrongDigest.ErrorCode);
    }

    [Fact]
    public async Task A_multipart_upload_assembles_its_parts_in_order_and_checks_them()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        var uploadId = (await s3.SendAsync(HttpMethod.Post, $"/{bucket}/mp?uploads", [], new Dictionary<string, string> { ["x-amz-checksum-algorithm"] = "SHA256" })).Values("UploadId").Single();
        var part1 = RandomNumberGenerator.GetBytes(5 * 1024 * 1024);
        var part2 = RandomNumberGenerator.GetBytes(1234);
        var etag1 = (await s3.PutAsync($"/{bucket}/mp?partNumber=1&uploadId={uploadId}", part1)).Header("ETag");
        var uploaded2 = await s3.PutAsync($"/{bucket}/mp?partNumber=2&uploadId={uploadId}", part2);
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(part2)), uploaded2.Header("x-amz-checksum-sha256"));
        Assert.Equal(["1", "2"], (await s3.GetAsync($"/{bucket}/mp?uploadId={uploadId}")).Values("PartNumber"));

        string Complete(params (int Number, string? ETag)[] parts) =>
            "<CompleteMultipartUpload>" + string.Concat(parts.Select(p => $"<Part><PartNumber>{p.Number}</PartNumber><ETag>{p.ETag}</ETag></Part>")) + "</CompleteMultipartUpload>";

        var outOfOrder = await s3.SendAsync(HttpMethod.Post, $"/{bucket}/mp?uploadId={uploadId}", Encoding.UTF8.GetBytes(Complete((2, uploaded2.Header("ETag")), (1, etag1))));
        Assert.Equal("InvalidPartOrder", outOfOrder.ErrorCode);
        var wrongTag = await s3.SendAsync(HttpMethod.Post, $"/{bucket}/mp?uploadId={uploadId}", Encoding.UTF8.GetBytes(Complete((1, "\"00\""), (2, uploaded2.Header("ETag")))));
        Assert.Equal("InvalidPart", wrongTag.ErrorCode);

        var completed = await s3.SendAsync(HttpMethod.Post, $"/{bucket}/mp?uploadId={uploadId}", Encoding.UTF8.GetBytes(Complete((1, etag1), (2, uploaded2.Header("ETag")))));
        Assert.True(completed.Status == HttpStatusCode.OK, completed.Text);
        var expectedEtag = Convert.ToHexStringLower(S3Http.Md5([.. S3Http.Md5(part1), .. S3Http.Md5(part2)])) + "-2";
        Assert.Equal($"\"{expectedEtag}\"", completed.Values("ETag").Single());
        var composite = Convert.ToBase64String(SHA256.HashData([.. SHA256.HashData(part1), .. SHA256.HashData(part2)])) + "-2";
        Assert.Equal(composite, completed.Values("ChecksumSHA256").Single());
        Assert.Equal(part1.Concat(part2).ToArray(), (await s3.GetAsync($"/{bucket}/mp")).Body);
        Assert.Equal("NoSuchUpload", (await s3.GetAsync($"/{bucket}/mp?uploadId={uploadId}")).ErrorCode);

        var small = (await s3.SendAsync(HttpMethod.Post, $"/{bucket}/small?uploads")).Values("UploadId").Single();
        var s1 = (await s3.PutAsync($"/{bucket}/small?partNumber=1&uploadId={small}", [1])).Header("ETag");
        var s2 = (await s3.PutAsync($"/{bucket}/small?partNumber=2&uploadId={small}", [2])).Header("ETag");
        Assert.Equal("EntityTooSmall", (await s3.SendAsync(HttpMethod.Post, $"/{bucket}/small?uploadId={small}", Encoding.UTF8.GetBytes(Complete((1, s1), (2, s2))))).ErrorCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s3.DeleteAsync($"/{bucket}/small?uploadId={small}")).Status);
        Assert.Equal("NoSuchUpload", (await s3.PutAsync($"/{bucket}/small?partNumber=3&uploadId={small}", [3])).ErrorCode);
        Assert.Equal("InvalidArgument", (await s3.PutAsync($"/{bucket}/small?partNumber=10001&uploadId={small}", [3])).ErrorCode);
    }

    private static List<string> ElementsVersionIds(S3Response response, string element) =>
        [.. System.Xml.Linq.XDocument.Parse(response.Text).Descendants().Where(e => e.Name.LocalName == element)
            .Select(e => e.Elements().Single(c => c.Name.LocalName == "VersionId").Value)];
}
