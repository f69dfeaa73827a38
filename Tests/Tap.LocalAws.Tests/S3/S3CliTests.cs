using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// S3 through the AWS CLI v1 and v2 over HTTPS, trusting LocalAws's CA through <c>AWS_CA_BUNDLE</c>: <c>aws s3</c>
/// copies a 12 MB file up in parts and back byte for byte; <c>aws s3api</c> configures a bucket; a TLS-only bucket
/// policy denies the same signed read over HTTP that it serves over HTTPS; <c>curl --aws-sigv4</c> reads an object
/// virtual-hosted.
/// </summary>
[Trait("Category", "Process")]
public sealed class S3CliTests(S3ProcessFixture s3) : IClassFixture<S3ProcessFixture>
{
    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task The_AWS_CLI_copies_a_12_MB_file_up_in_parts_and_back_byte_for_byte(string cli)
    {
        SkipUnlessInstalled(cli);
        var bucket = S3Http.NewBucket();
        var download = s3.LargeFile + $".{Path.GetFileName(cli)}.down";

        await SucceedsAsync(cli, "s3", "mb", $"s3://{bucket}");
        await SucceedsAsync(cli, "s3", "cp", s3.LargeFile, $"s3://{bucket}/assets/large.bin");
        using (var head = JsonDocument.Parse(await SucceedsAsync(cli, "s3api", "head-object", "--bucket", bucket, "--key", "assets/large.bin")))
        {
            Assert.Equal(S3ProcessFixture.LargeObjectBytes, head.RootElement.GetProperty("ContentLength").GetInt64());

            // Both CLIs cut 8 MiB parts: a two-part upload's ETag.
            Assert.EndsWith("-2\"", head.RootElement.GetProperty("ETag").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("large.bin", await SucceedsAsync(cli, "s3", "ls", $"s3://{bucket}/assets/"), StringComparison.Ordinal);
        await SucceedsAsync(cli, "s3", "cp", $"s3://{bucket}/assets/large.bin", download);
        try
        {
            var uploaded = await File.ReadAllBytesAsync(s3.LargeFile, TestContext.Current.CancellationToken);
            var downloaded = await File.ReadAllBytesAsync(download, TestContext.Current.CancellationToken);
            Assert.True(uploaded.AsSpan().SequenceEqual(downloaded), "The downloaded file differs from the uploaded one.");
        }
        finally
        {
            File.Delete(download);
        }

        var notEmpty = await RunAsync(cli, s3.Https, "s3", "rb", $"s3://{bucket}");
        Assert.NotEqual(0, notEmpty.ExitCode);
        Assert.Contains("BucketNotEmpty", notEmpty.Error, StringComparison.Ordinal);
        await SucceedsAsync(cli, "s3", "rm", $"s3://{bucket}/assets/large.bin");
        await SucceedsAsync(cli, "s3", "rb", $"s3://{bucket}");
        Assert.DoesNotContain(bucket, await SucceedsAsync(cli, "s3", "ls"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task The_AWS_CLI_configures_a_bucket_and_its_TLS_only_policy_denies_HTTP(string cli)
    {
        SkipUnlessInstalled(cli);
        var bucket = S3Http.NewBucket();
        var body = Path.Combine(Path.GetTempPath(), $"{bucket}.txt");
        await File.WriteAllTextAsync(body, "tls-only-body-51c2", TestContext.Current.CancellationToken);
        try
        {
            await SucceedsAsync(cli, "s3api", "create-bucket", "--bucket", bucket);

            // Versioning keeps every put.
            await SucceedsAsync(cli, "s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
            Assert.Contains("Enabled", await SucceedsAsync(cli, "s3api", "get-bucket-versioning", "--bucket", bucket), StringComparison.Ordinal);
            await SucceedsAsync(cli, "s3api", "put-object", "--bucket", bucket, "--key", "doc.txt", "--body", body);
            await SucceedsAsync(cli, "s3api", "put-object", "--bucket", bucket, "--key", "doc.txt", "--body", body);
            using (var versions = JsonDocument.Parse(await SucceedsAsync(cli, "s3api", "list-object-versions", "--bucket", bucket)))
            {
                Assert.Equal(2, versions.RootElement.GetProperty("Versions").GetArrayLength());
            }

            await SucceedsAsync(cli, "s3api", "put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration",
                """{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"AES256"}}]}""");
            Assert.Contains("AES256", await SucceedsAsync(cli, "s3api", "get-bucket-encryption", "--bucket", bucket), StringComparison.Ordinal);
            await SucceedsAsync(cli, "s3api", "put-bucket-tagging", "--bucket", bucket, "--tagging", "TagSet=[{Key=team,Value=tap}]");
            Assert.Contains("\"tap\"", await SucceedsAsync(cli, "s3api", "get-bucket-tagging", "--bucket", bucket), StringComparison.Ordinal);

            // The public access block refuses a policy that grants everyone, and admits the TLS-only deny.
            await SucceedsAsync(cli, "s3api", "put-public-access-block", "--bucket", bucket, "--public-access-block-configuration",
                "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true");
            Assert.Contains("\"BlockPublicPolicy\": true", await SucceedsAsync(cli, "s3api", "get-public-access-block", "--bucket", bucket), StringComparison.Ordinal);
            var publicRead = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
            var refused = await RunAsync(cli, s3.Https, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", publicRead);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("AccessDenied", refused.Error, StringComparison.Ordinal);

            var tlsOnly = """
                {"Version":"2012-10-17","Statement":[{"Sid":"TlsOnly","Effect":"Deny","Principal":"*","Action":"s3:*",
                  "Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
                """.Replace("BUCKET", bucket, StringComparison.Ordinal);
            await SucceedsAsync(cli, "s3api", "put-bucket-policy", "--bucket", bucket, "--policy", tlsOnly);
            Assert.Contains("TlsOnly", await SucceedsAsync(cli, "s3api", "get-bucket-policy", "--bucket", bucket), StringComparison.Ordinal);

            // The same signed read: denied over HTTP, served over HTTPS.
            var overHttp = await RunAsync(cli, s3.Http, "s3", "cp", $"s3://{bucket}/doc.txt", "-");
            Assert.NotEqual(0, overHttp.ExitCode);
            Assert.Contains("403", overHttp.Error, StringComparison.Ordinal);
            Assert.Equal("tls-only-body-51c2", await SucceedsAsync(cli, "s3", "cp", $"s3://{bucket}/doc.txt", "-"));

            await SucceedsAsync(cli, "s3api", "delete-public-access-block", "--bucket", bucket);
            var gone = await RunAsync(cli, s3.Https, "s3api", "get-public-access-block", "--bucket", bucket);
            Assert.Contains("NoSuchPublicAccessBlockConfiguration", gone.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(body);
        }
    }

    [Fact]
    public async Task curl_signs_for_s3_virtual_hosted_over_HTTPS_and_is_told_when_the_payload_hash_is_missing()
    {
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        var bucket = await s3.CreateBucketAsync();
        await SucceedsAsync("aws", "s3", "cp", s3.LargeFile, $"s3://{bucket}/large.bin");
        var download = s3.LargeFile + ".curl";
        string[] signing = ["-sS", "--cacert", s3.CaFile, "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", $"{TestPrincipals.Admin.AccessKey}:{TestPrincipals.Admin.SecretKey}"];
        var url = $"https://{bucket}.s3.localhost:{s3.Https.Port}/large.bin";
        try
        {
            // curl resolves every *.localhost name itself, so the virtual-hosted form needs no DNS set-up.
            var read = await ExternalProcess.RunAsync("curl", [.. signing, "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD", "-o", download, "-w", "%{http_code}", url]);
            Assert.Equal("200", read.Output);
            var uploaded = await File.ReadAllBytesAsync(s3.LargeFile, TestContext.Current.CancellationToken);
            var downloaded = await File.ReadAllBytesAsync(download, TestContext.Current.CancellationToken);
            Assert.True(uploaded.AsSpan().SequenceEqual(downloaded), "curl read other bytes than were uploaded.");
        }
        finally
        {
            File.Delete(download);
        }

        // curl signs no payload hash unless given one; S3 requires it of every header-signed request.
        var missing = await ExternalProcess.RunAsync("curl", [.. signing, url]);
        Assert.Contains("<Code>InvalidRequest</Code>", missing.Output, StringComparison.Ordinal);
        Assert.Contains("x-amz-content-sha256", missing.Output, StringComparison.Ordinal);
    }

    private static void SkipUnlessInstalled(string cli) =>
        Assert.SkipUnless(ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");

    private Task<ExternalProcess.Result> RunAsync(string cli, Uri endpoint, params string[] arguments) =>
        AwsCli.RunProgramAsync(cli, endpoint, TestPrincipals.Admin, new Dictionary<string, string> { ["AWS_CA_BUNDLE"] = s3.CaFile }, arguments);

    /// <summary>Runs the CLI over HTTPS and returns its output, failing the test with its error output otherwise.</summary>
    private async Task<string> SucceedsAsync(string cli, params string[] arguments)
    {
        var result = await RunAsync(cli, s3.Https, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)}: {result.Error}");
        return result.Output;
    }
}
