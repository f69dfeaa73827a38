using System.Buffers.Binary;
using System.IO.Hashing;
using System.Net;
using System.Security.Cryptography;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// Upload bodies as the SDKs frame and sign them, and every way they can be wrong: a chunk's signature, a checksum,
/// the signed hash, the MD5, the declared length, the framing itself, or the size. A refused upload stores nothing:
/// the key stays absent (or keeps its old bytes) and no file is left behind.
/// </summary>
public sealed class S3PayloadTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("localaws-s3-payload-").FullName;
    private readonly LocalAwsFactory _factory;

    public S3PayloadTests() => _factory = new LocalAwsFactory
    {
        DataDirectory = _data,
        Settings = new Dictionary<string, string?> { ["LocalAws:S3MaxObjectMegabytes"] = "1", ["LocalAws:S3MaxStorageMegabytes"] = "3" },
    };

    public void Dispose()
    {
        _factory.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Signed_chunks_are_accepted_and_a_wrong_chunk_signature_stores_nothing()
    {
        var bucket = await CreateBucketAsync();
        byte[][] chunks = [RandomNumberGenerator.GetBytes(8192), RandomNumberGenerator.GetBytes(100)];
        var length = chunks.Sum(c => c.Length);
        var upload = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/signed", SigV4Constants.StreamingSignedPayload, length);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(upload.Request(upload.Body(chunks)))).Status);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), (await GetAsync($"/{bucket}/signed")).Body);

        foreach (var tampered in new[] { 0, 1, 2 })
        {
            var bad = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/tampered", SigV4Constants.StreamingSignedPayload, length);
            var refused = await SendAsync(bad.Request(bad.Body(chunks, tamper: tampered)));
            Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), (refused.Status, refused.ErrorCode));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/{bucket}/tampered")).Status);
        Assert.Single(DataFiles(bucket));
    }

    [Fact]
    public async Task A_signed_trailer_and_an_unsigned_trailer_carry_checksums_that_are_checked()
    {
        var bucket = await CreateBucketAsync();
        var data = RandomNumberGenerator.GetBytes(5000);
        var crc = Crc32Base64(data);
        KeyValuePair<string, string>[] trailerHeader = [new("x-amz-trailer", "x-amz-checksum-crc32")];

        var signed = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/signed-trailer", SigV4Constants.StreamingSignedPayloadTrailer, data.Length, trailerHeader);
        var stored = await SendAsync(signed.Request(signed.Body([data], trailer: [new("x-amz-checksum-crc32", crc)])));
        Assert.True(stored.Status == HttpStatusCode.OK, stored.Text);
        Assert.Equal(crc, stored.Header("x-amz-checksum-crc32"));

        var unsigned = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/unsigned-trailer", SigV4Constants.StreamingUnsignedPayloadTrailer, data.Length, trailerHeader);
        var unsignedStored = await SendAsync(unsigned.Request(unsigned.Body([data], signChunks: false, trailer: [new("x-amz-checksum-crc32", crc)])));
        Assert.Equal(HttpStatusCode.OK, unsignedStored.Status);
        var read = await GetAsync($"/{bucket}/unsigned-trailer", new() { ["x-amz-checksum-mode"] = "ENABLED" });
        Assert.Equal(data, read.Body);
        Assert.Equal(crc, read.Header("x-amz-checksum-crc32"));

        var wrong = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/wrong-trailer", SigV4Constants.StreamingUnsignedPayloadTrailer, data.Length, trailerHeader);
        var refused = await SendAsync(wrong.Request(wrong.Body([data], signChunks: false, trailer: [new("x-amz-checksum-crc32", Crc32Base64([1]))])));
        Assert.Equal((HttpStatusCode.BadRequest, "BadDigest"), (refused.Status, refused.ErrorCode));
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync($"/{bucket}/wrong-trailer")).Status);
        Assert.Equal(2, DataFiles(bucket).Length);
    }

    [Fact]
    public async Task A_truncated_or_misframed_chunked_body_is_refused()
    {
        var bucket = await CreateBucketAsync();
        var data = RandomNumberGenerator.GetBytes(1000);

        var shortened = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/short", SigV4Constants.StreamingSignedPayload, data.Length + 10);
        Assert.Equal("IncompleteBody", (await SendAsync(shortened.Request(shortened.Body([data])))).ErrorCode);

        var cut = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/cut", SigV4Constants.StreamingSignedPayload, data.Length);
        var body = cut.Body([data]);
        Assert.Equal("IncompleteBody", (await SendAsync(cut.Request(body[..(body.Length / 2)]))).ErrorCode);

        var garbage = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/garbage", SigV4Constants.StreamingUnsignedPayloadTrailer, 4);
        Assert.Equal("InvalidArgument", (await SendAsync(garbage.Request("zz\r\nabcd\r\n0\r\n\r\n"u8.ToArray()))).ErrorCode);

        Assert.Empty(DataFiles(bucket));
    }

    [Fact]
    public async Task A_signed_hash_an_MD5_or_a_checksum_header_that_does_not_match_is_refused_and_the_old_bytes_stay()
    {
        var bucket = await CreateBucketAsync();
        using var s3 = S3Http.For(_factory, TestPrincipals.Admin);
        await s3.PutAsync($"/{bucket}/kept", "original"u8.ToArray());
        var replacement = "replacement"u8.ToArray();

        var hash = await s3.PutAsync($"/{bucket}/kept", replacement, new Dictionary<string, string> { ["x-amz-content-sha256"] = Convert.ToHexStringLower(SHA256.HashData("other"u8)) });
        Assert.Equal((HttpStatusCode.BadRequest, "XAmzContentSHA256Mismatch"), (hash.Status, hash.ErrorCode));
        var md5 = await s3.PutAsync($"/{bucket}/kept", replacement, new Dictionary<string, string> { ["Content-MD5"] = Convert.ToBase64String(S3Http.Md5("other"u8.ToArray())) });
        Assert.Equal("BadDigest", md5.ErrorCode);
        var sha = await s3.PutAsync($"/{bucket}/kept", replacement, new Dictionary<string, string> { ["x-amz-checksum-sha256"] = Convert.ToBase64String(SHA256.HashData("other"u8)) });
        Assert.Equal("BadDigest", sha.ErrorCode);
        Assert.Contains("SHA256", sha.Text, StringComparison.Ordinal);
        var mode = await s3.PutAsync($"/{bucket}/kept", replacement, new Dictionary<string, string> { ["x-amz-content-sha256"] = "SIGNED-SOMEHOW" });
        Assert.Equal("InvalidArgument", mode.ErrorCode);

        Assert.Equal("original", (await s3.GetAsync($"/{bucket}/kept")).Text);
        Assert.Single(DataFiles(bucket));

        // Right values are accepted: a signed hash and a checksum header, echoed back.
        var good = await s3.PutAsync($"/{bucket}/kept", replacement, new Dictionary<string, string>
        {
            ["x-amz-content-sha256"] = Convert.ToHexStringLower(SHA256.HashData(replacement)),
            ["x-amz-checksum-sha256"] = Convert.ToBase64String(SHA256.HashData(replacement)),
        });
        Assert.Equal((HttpStatusCode.OK, Convert.ToBase64String(SHA256.HashData(replacement))), (good.Status, good.Header("x-amz-checksum-sha256")));
    }

    [Fact]
    public async Task An_object_over_the_size_cap_and_uploads_past_the_storage_cap_are_refused()
    {
        var bucket = await CreateBucketAsync();
        using var s3 = S3Http.For(_factory, TestPrincipals.Admin);
        var tooLarge = await s3.PutAsync($"/{bucket}/big", new byte[(1024 * 1024) + 1]);
        Assert.Equal((HttpStatusCode.BadRequest, "EntityTooLarge"), (tooLarge.Status, tooLarge.ErrorCode));

        var streamed = new AwsChunkedUpload(TestPrincipals.Admin, $"/{bucket}/streamed", SigV4Constants.StreamingSignedPayload, (1024 * 1024) + 1);
        Assert.Equal("EntityTooLarge", (await SendAsync(streamed.Request(streamed.Body([new byte[(1024 * 1024) + 1]])))).ErrorCode);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await s3.PutAsync($"/{bucket}/fill{i}", new byte[1000 * 1024])).Status);
        }

        var full = await s3.PutAsync($"/{bucket}/one-more", new byte[200 * 1024]);
        Assert.Equal((HttpStatusCode.BadRequest, "EntityTooLarge"), (full.Status, full.ErrorCode));
        Assert.Contains("storage cap", full.Text, StringComparison.Ordinal);

        // Deleting frees the space.
        await s3.DeleteAsync($"/{bucket}/fill0");
        Assert.Equal(HttpStatusCode.OK, (await s3.PutAsync($"/{bucket}/one-more", new byte[200 * 1024])).Status);
        Assert.Equal(3, DataFiles(bucket).Length);
    }

    private static string Crc32Base64(byte[] data)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, Crc32.HashToUInt32(data));
        return Convert.ToBase64String(bytes);
    }

    private string[] DataFiles(string bucket) => Directory.GetFiles(Path.Combine(_data, "s3", bucket, "data"));

    private async Task<string> CreateBucketAsync()
    {
        using var s3 = S3Http.For(_factory, TestPrincipals.Admin);
        return await s3.CreateBucketAsync();
    }

    private async Task<S3Response> GetAsync(string path, Dictionary<string, string>? headers = null)
    {
        using var s3 = S3Http.For(_factory, TestPrincipals.Admin);
        return await s3.GetAsync(path, headers);
    }

    private async Task<S3Response> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var client = _factory.CreateClient();
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            var headers = response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
            return new S3Response(response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }
}
