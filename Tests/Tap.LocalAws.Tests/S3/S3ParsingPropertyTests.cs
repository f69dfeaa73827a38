using System.Net;
using System.Text;
using CsCheck;
using Tap.Aws.Signing;
using Tap.LocalAws.S3;
using Tap.LocalAws.S3.Payload;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// S3's request parsing under arbitrary input: keys of every character class round-trip through their encoding,
/// ranges resolve inside the object or are S3's InvalidRange, and no request — any path, query, header or chunk
/// framing — is answered with a server failure (S3's 501 NotImplemented names a subresource not served here).
/// </summary>
public sealed class S3ParsingPropertyTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    // Every class a key can hold: ASCII (controls, reserved, unreserved), Latin-1, the BMP up to the surrogates and
    // past them, and the supplementary planes.
    private static readonly Gen<string> Keys = Gen.OneOf(
            Gen.Int[0x01, 0x7F], Gen.Int[0x80, 0xFF], Gen.Int[0x100, 0xD7FF], Gen.Int[0xE000, 0xFFFD], Gen.Int[0x10000, 0x10FFFF])
        .Array[1, 30]
        .Select(codePoints => string.Concat(codePoints.Select(char.ConvertFromUtf32)));

    [Fact]
    public void Every_key_round_trips_through_its_URI_encoding_path_style_and_virtual_hosted()
    {
        Keys.Sample(key =>
        {
            var encoded = UriEncoding.Encode(key, encodeSlash: false);
            Assert.Equal(new S3Address("bucket", key), S3Address.Parse("localhost", "/bucket/" + encoded, "us-east-1"));
            Assert.Equal(new S3Address("bucket", key), S3Address.Parse("bucket.s3.us-east-1.localhost", "/" + encoded, "us-east-1"));
        }, iter: 2000);
    }

    [Fact]
    public void A_raw_path_either_parses_or_is_S3s_InvalidURI_never_another_failure()
    {
        Gen.Char['\u0020', '\u007E'].Array[0, 60].Select(chars => new string(chars)).Sample(raw =>
        {
            try
            {
                S3Address.Parse("localhost", "/" + raw, "us-east-1");
            }
            catch (FormatException)
            {
                // S3's InvalidURI: a broken escape or bytes that are not UTF-8.
            }
        }, iter: 5000);
    }

    [Fact]
    public void A_range_is_inside_the_object_or_S3s_InvalidRange()
    {
        Gen.Select(Gen.Long[0, 5000], Gen.OneOf(Gen.Const("bytes="), Gen.Const("bytes= "), Gen.Const("items=")), Gen.Long[-10, 6000].Array[0, 2], Gen.Bool).Sample((size, unit, numbers, suffix) =>
        {
            var header = unit + (suffix ? "-" : string.Empty) + string.Join("-", numbers);
            try
            {
                if (ByteRange.Parse(header, size) is { } range)
                {
                    Assert.InRange(range.First, 0, size - 1);
                    Assert.InRange(range.Last, range.First, size - 1);
                }
            }
            catch (Protocols.AwsServiceException ex)
            {
                Assert.Equal((416, "InvalidRange"), (ex.Error.StatusCode, ex.Error.Code));
            }
        }, iter: 5000);
    }

    [Fact]
    public void The_checksums_match_their_published_check_values()
    {
        // The CRC catalogue's check value of each: the checksum of "123456789".
        var check = "123456789"u8;
        Assert.Equal("CBF43926", Hex(S3ChecksumAlgorithm.Crc32, check));
        Assert.Equal("E3069283", Hex(S3ChecksumAlgorithm.Crc32C, check));
        Assert.Equal("AE8B14860A799888", Hex(S3ChecksumAlgorithm.Crc64Nvme, check));
        Assert.Equal(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(check)), S3Checksum.Of(S3ChecksumAlgorithm.Sha256, check));

        // Fed in pieces, a checksum is the checksum of the whole (the CRC-32C fast path takes 8 bytes at a time).
        Gen.Byte.Array[0, 300].Select(Gen.Int[0, 300]).Sample((data, cut) =>
        {
            foreach (var algorithm in S3ChecksumAlgorithms.All)
            {
                using var pieces = S3Checksum.Create(algorithm);
                var at = Math.Min(cut, data.Length);
                pieces.Append(data.AsSpan(0, at));
                pieces.Append(data.AsSpan(at));
                Assert.Equal(S3Checksum.Of(algorithm, data), pieces.Base64());
            }
        }, iter: 500);

        static string Hex(S3ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data) => Convert.ToHexString(Convert.FromBase64String(S3Checksum.Of(algorithm, data)));
    }

    [Fact]
    public async Task A_key_holding_characters_XML_cannot_is_answered_with_character_references_as_S3_does()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();

        var response = await s3.SendAsync(HttpMethod.Post, $"/{bucket}/a%1Eb?uploads", [], new Dictionary<string, string> { ["x-amz-content-sha256"] = "UNSIGNED-PAYLOAD" });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("<Key>a&#x1E;b</Key>", Encoding.UTF8.GetString(response.Body), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_request_to_S3_is_answered_with_a_server_failure()
    {
        using var s3 = S3Http.For(factory, TestPrincipals.Admin);
        var bucket = await s3.CreateBucketAsync();
        await s3.PutAsync($"/{bucket}/existing", [1, 2, 3]);
        string[] subresources = ["", "?versioning", "?policy", "?uploads", "?uploadId=x", "?partNumber=1&uploadId=x", "?delete", "?list-type=2&max-keys=abc",
            "?versions&key-marker=%FF", "?tagging", "?encryption", "?publicAccessBlock", "?location", "?acl", "?versionId=null", "?continuation-token=%%%&list-type=2"];
        string[] methods = ["GET", "PUT", "POST", "DELETE", "HEAD"];
        string[] modes = ["UNSIGNED-PAYLOAD", SigV4Constants.StreamingSignedPayload, SigV4Constants.StreamingUnsignedPayloadTrailer, "abc", new string('a', 64)];
        var paths = Gen.OneOf(Gen.Const("/"), Gen.Const($"/{bucket}"), Gen.Const($"/{bucket}/existing"), Gen.Const("/no-such-bucket/k"),
            // %00 is left out: Kestrel refuses a request line that decodes to NUL with 400 before any handler runs.
            Gen.Byte[1, 255].Array[1, 12].Select(b => $"/{bucket}/" + string.Concat(b.Select(x => "%" + x.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)))));
        var bodies = Gen.OneOf(Gen.Byte.Array[0, 64], Gen.Const("5\r\nhello\r\n0\r\n\r\n"u8.ToArray()), Gen.Const("<Delete><Object><Key>k</Key></Object></Delete>"u8.ToArray()),
            Gen.Const("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"u8.ToArray()), Gen.Const("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"u8.ToArray()));

        await Gen.Select(Gen.OneOf(methods), paths, Gen.OneOf(subresources), Gen.OneOf(modes), bodies, Gen.OneOf("", "bytes=0-", "bytes=-0", "bytes=9-1"))
            .SampleAsync(async (method, path, query, mode, body, range) =>
            {
                var headers = new Dictionary<string, string> { ["x-amz-content-sha256"] = mode, ["x-amz-decoded-content-length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                if (range.Length > 0)
                {
                    headers["Range"] = range;
                }

                var response = await s3.SendAsync(new HttpMethod(method), path + query, method is "GET" or "HEAD" ? null : body, headers);
                var notServed = response.Status == HttpStatusCode.NotImplemented && (method == "HEAD" || response.ErrorCode == "NotImplemented");
                Assert.True((int)response.Status < 500 || notServed, $"{method} {path}{query} ({mode}): {(int)response.Status} {Encoding.UTF8.GetString(response.Body)}");
            }, iter: 400);
    }
}
