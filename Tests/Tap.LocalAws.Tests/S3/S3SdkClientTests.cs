using System.IO.Hashing;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// S3 through SDKs no one here wrote, each as it signs by default: boto3 over HTTPS (unsigned payloads with checksum
/// trailers) and HTTP (signed payload hashes), and the AWS SDK for JavaScript v3's <c>Upload</c> with SHA-256
/// checksums, as the CDK's asset publishing sends it. Checksums are checked against values computed here.
/// </summary>
[Trait("Category", "Process")]
public sealed class S3SdkClientTests(S3ProcessFixture s3) : IClassFixture<S3ProcessFixture>
{
    private const int PartBytes = 5 * 1024 * 1024;

    private const string Boto3Script = """
        import hashlib, json, os, sys
        import boto3, botocore.config
        from botocore.exceptions import ClientError
        from boto3.s3.transfer import TransferConfig

        endpoint, ca, bucket, large, small = sys.argv[1:6]
        config = botocore.config.Config(retries={"total_max_attempts": 1})
        s3 = boto3.client("s3", endpoint_url=endpoint, verify=ca, config=config)
        data = open(small, "rb").read()
        result = {"checksums": {}}
        for algorithm in ["SHA256", "SHA1", "CRC32"]:
            put = s3.put_object(Bucket=bucket, Key="small-" + algorithm, Body=data, ChecksumAlgorithm=algorithm)
            result["checksums"][algorithm] = put["Checksum" + algorithm]
        ranged = s3.get_object(Bucket=bucket, Key="small-SHA256", Range="bytes=2-5")
        result["range"] = [ranged["ContentRange"], ranged["Body"].read() == data[2:6]]
        for i in range(5):
            s3.put_object(Bucket=bucket, Key="list/%d" % i, Body=b"x")
        pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix="list/", PaginationConfig={"PageSize": 2}))
        result["listed"] = [o["Key"] for page in pages for o in page.get("Contents", [])]
        result["pages"] = len(pages)
        five = 5 * 1024 * 1024
        s3.upload_file(large, bucket, "large.bin", Config=TransferConfig(multipart_threshold=five, multipart_chunksize=five, use_threads=False))
        s3.download_file(bucket, "large.bin", large + ".boto3")
        result["etag"] = s3.head_object(Bucket=bucket, Key="large.bin")["ETag"]
        result["identical"] = hashlib.sha256(open(large + ".boto3", "rb").read()).digest() == hashlib.sha256(open(large, "rb").read()).digest()
        errors = {}
        for name, call in [("missing", lambda: s3.get_object(Bucket=bucket, Key="no-such-key")),
                           ("no-bucket", lambda: s3.list_objects_v2(Bucket=bucket + "-none")),
                           ("wrong-secret", lambda: boto3.client("s3", endpoint_url=endpoint, verify=ca, config=config,
                                                                  aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"], aws_secret_access_key="wrong" + "0" * 35).get_object(Bucket=bucket, Key="small-SHA1"))]:
            try:
                call()
                errors[name] = None
            except ClientError as e:
                errors[name] = e.response["Error"]["Code"]
        result["errors"] = errors
        print(json.dumps(result))
        """;

    public static TheoryData<bool> Transports => new(true, false);

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task boto3_puts_with_checksums_ranges_pages_and_copies_12_MB_in_parts(bool https)
    {
        var check = await ExternalProcess.RunAsync("python3", ["-c", "import boto3"]);
        Assert.SkipWhen(check.ExitCode != 0, "Missing tool: python3 with boto3 is not installed; install boto3 to run this test.");
        var bucket = await s3.CreateBucketAsync();
        var small = RandomNumberGenerator.GetBytes(6000);
        var smallFile = s3.LargeFile + $".{bucket}.small";
        await File.WriteAllBytesAsync(smallFile, small, TestContext.Current.CancellationToken);
        ExternalProcess.Result run;
        try
        {
            run = await ExternalProcess.RunAsync("python3",
                ["-c", Boto3Script, (https ? s3.Https : s3.Http).ToString(), s3.CaFile, bucket, s3.LargeFile, smallFile], Credentials());
        }
        finally
        {
            File.Delete(smallFile);
            File.Delete(s3.LargeFile + ".boto3");
        }

        Assert.True(run.ExitCode == 0, run.Error);
        using var result = JsonDocument.Parse(run.Output);
        var root = result.RootElement;
        var checksums = root.GetProperty("checksums");
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(small)), checksums.GetProperty("SHA256").GetString());
#pragma warning disable CA5350 // SHA-1 is one of S3's checksum algorithms, checked here as S3 computes it.
        Assert.Equal(Convert.ToBase64String(SHA1.HashData(small)), checksums.GetProperty("SHA1").GetString());
#pragma warning restore CA5350
        Assert.Equal(Convert.ToBase64String(Crc32BigEndian(small)), checksums.GetProperty("CRC32").GetString());
        Assert.Equal("bytes 2-5/6000", root.GetProperty("range")[0].GetString());
        Assert.True(root.GetProperty("range")[1].GetBoolean());
        Assert.Equal(["list/0", "list/1", "list/2", "list/3", "list/4"], root.GetProperty("listed").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(3, root.GetProperty("pages").GetInt32());
        Assert.Equal(MultipartETag(await File.ReadAllBytesAsync(s3.LargeFile, TestContext.Current.CancellationToken)), root.GetProperty("etag").GetString());
        Assert.True(root.GetProperty("identical").GetBoolean());
        var errors = root.GetProperty("errors");
        Assert.Equal("NoSuchKey", errors.GetProperty("missing").GetString());
        Assert.Equal("NoSuchBucket", errors.GetProperty("no-bucket").GetString());
        Assert.Equal("SignatureDoesNotMatch", errors.GetProperty("wrong-secret").GetString());
    }

    [Fact]
    public async Task The_JavaScript_SDKs_Upload_sends_12_MB_in_parts_with_SHA256_checksums()
    {
        var client = typeof(S3SdkClientTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "S3JavaScriptClient").Value!;
        Assert.SkipUnless(ExternalProcess.Exists("node"), "Missing tool: node is not on PATH; install Node.js to run this test.");
        Assert.SkipUnless(Directory.Exists(Path.Combine(client, "node_modules", "@aws-sdk", "lib-storage")),
            $"Missing tool: the AWS SDK for JavaScript is not installed; run `npm ci` in {client} to run this test.");
        var bucket = await s3.CreateBucketAsync();
        var environment = Credentials();
        environment["NODE_EXTRA_CA_CERTS"] = s3.CaFile;

        var run = await ExternalProcess.RunAsync("node", [Path.Combine(client, "s3-upload.mjs"), s3.Https.ToString(), bucket, "assets/large.zip", s3.LargeFile], environment);

        Assert.True(run.ExitCode == 0, run.Error);
        using var result = JsonDocument.Parse(run.Output);
        var root = result.RootElement;
        var data = await File.ReadAllBytesAsync(s3.LargeFile, TestContext.Current.CancellationToken);
        Assert.Equal(MultipartETag(data), root.GetProperty("etag").GetString());

        // A multipart object's SHA-256 is S3's composite: the hash of the parts' hashes, with the part count.
        var parts = data.Chunk(PartBytes).SelectMany(SHA256.HashData).ToArray();
        Assert.Equal($"{Convert.ToBase64String(SHA256.HashData(parts))}-3", root.GetProperty("checksumSha256").GetString());
        Assert.Equal(S3ProcessFixture.LargeObjectBytes, root.GetProperty("contentLength").GetInt64());
        Assert.True(root.GetProperty("identical").GetBoolean());
    }

    /// <summary>S3's ETag of an upload in 5 MiB parts: the MD5 of the parts' MD5s, with the part count.</summary>
    private static string MultipartETag(byte[] data)
    {
        var parts = data.Chunk(PartBytes).ToArray();
        return $"\"{Convert.ToHexStringLower(S3Http.Md5([.. parts.SelectMany(S3Http.Md5)]))}-{parts.Length}\"";
    }

    /// <summary>CRC-32 as S3 encodes it: the big-endian bytes of the value.</summary>
    private static byte[] Crc32BigEndian(byte[] data)
    {
        var crc = Crc32.HashToUInt32(data);
        return [(byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    private static Dictionary<string, string> Credentials() => new()
    {
        ["AWS_ACCESS_KEY_ID"] = TestPrincipals.Admin.AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = TestPrincipals.Admin.SecretKey,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_DEFAULT_REGION"] = "us-east-1",
    };
}
