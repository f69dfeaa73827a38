using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Amazon.Runtime;
using Aspire.Hosting.AWS.Provisioning;
using Microsoft.Extensions.Logging;
using Tap.Aws.Http;

namespace Tap.LocalAws.Hosting.Cdk;

/// <summary>
/// Publishes the file assets of a CDK asset manifest (<c>*.assets.json</c>) into LocalAws's S3, as the CDK CLI does
/// before it deploys: each to its destination's bucket and key (<c>${AWS::AccountId}</c> and <c>${AWS::Region}</c>
/// resolved), a directory zipped first, one already there left alone. It signs as the given principal over HTTPS,
/// trusting LocalAws's CA, since the bootstrap bucket's policy refuses any request that is not TLS.
/// </summary>
internal sealed partial class CdkAssetPublisher(Uri httpsEndpoint, X509Certificate2 caCertificate, ImmutableCredentials credentials, string accountId, string region)
{
    public async Task PublishAsync(string assetManifestPath, ILogger logger, CancellationToken cancellationToken)
    {
        var assemblyDirectory = Path.GetDirectoryName(Path.GetFullPath(assetManifestPath))!;
        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(assetManifestPath, cancellationToken).ConfigureAwait(false));
        if (manifest.RootElement.TryGetProperty("dockerImages", out var images) && images.EnumerateObject().Any())
        {
            throw new AWSProvisioningException("Failed to provision stack assets. Provisioning container image assets are currently not supported.");
        }

        if (!manifest.RootElement.TryGetProperty("files", out var files))
        {
            return;
        }

        using var s3 = Client();
        foreach (var asset in files.EnumerateObject())
        {
            var source = asset.Value.GetProperty("source");
            if (source.TryGetProperty("executable", out _))
            {
                throw new AWSProvisioningException($"CDK asset {asset.Name} is built by a command, which is not supported; only files and directories are.");
            }

            var path = Path.Combine(assemblyDirectory, source.GetProperty("path").GetString()!);
            var zip = source.TryGetProperty("packaging", out var packaging) && packaging.GetString() == "zip";
            foreach (var destination in asset.Value.GetProperty("destinations").EnumerateObject())
            {
                var bucket = Resolve(destination.Value.GetProperty("bucketName").GetString()!);
                var key = destination.Value.GetProperty("objectKey").GetString()!;
                await PublishAsync(s3, path, zip, bucket, key, logger, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PublishAsync(HttpClient s3, string path, bool zip, string bucket, string key, ILogger logger, CancellationToken cancellationToken)
    {
        var url = new Uri(httpsEndpoint, $"{Uri.EscapeDataString(bucket)}/{string.Join('/', key.Split('/').Select(Uri.EscapeDataString))}");
        using (var head = await s3.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), cancellationToken).ConfigureAwait(false))
        {
            if (head.IsSuccessStatusCode)
            {
                LogAlreadyPublished(logger, key, bucket);
                return;
            }

            // 403 is how S3 answers a missing key to a caller who may not list the bucket: publish, as the CLI does.
            if (head.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
            {
                throw new AWSProvisioningException($"CDK asset {key} could not be looked up in s3://{bucket}: {(int)head.StatusCode} {head.ReasonPhrase}. Is the CDK bootstrap stack deployed?");
            }
        }

        LogPublishing(logger, key, bucket);
        var body = zip ? Zipped(path) : await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(body) };
        using var response = await s3.SendAsync(put, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new AWSProvisioningException($"CDK asset {key} could not be published to s3://{bucket}: {(int)response.StatusCode} {error}");
        }
    }

    private string Resolve(string value) => value
        .Replace("${AWS::AccountId}", accountId, StringComparison.Ordinal)
        .Replace("${AWS::Region}", region, StringComparison.Ordinal)
        .Replace("${AWS::Partition}", "aws", StringComparison.Ordinal);

    /// <summary>The directory as the CLI zips it: its files by relative path, in order, so equal content gives equal bytes.</summary>
    private static byte[] Zipped(string directory)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var entry = archive.CreateEntry(Path.GetRelativePath(directory, file).Replace('\\', '/'), CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
                if (!OperatingSystem.IsWindows())
                {
                    entry.ExternalAttributes = (int)File.GetUnixFileMode(file) << 16;
                }

                using var target = entry.Open();
                using var content = File.OpenRead(file);
                content.CopyTo(target);
            }
        }

        return buffer.ToArray();
    }

    private HttpClient Client()
    {
        var transport = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, _) => IsIssuedByCa(certificate) },
        };
        return SignedHttpClient.Create(new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey), region, "s3", transport: transport);
    }

    private bool IsIssuedByCa(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CDK asset {ObjectKey} is already in s3://{Bucket}")]
    private static partial void LogAlreadyPublished(ILogger logger, string objectKey, string bucket);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing CDK asset {ObjectKey} to s3://{Bucket}")]
    private static partial void LogPublishing(ILogger logger, string objectKey, string bucket);
}
