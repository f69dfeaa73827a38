using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tap.Testing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// One LocalAws process serving HTTP and HTTPS, shared by the tests that drive its S3 with real clients, and the
/// 12 MB file they copy (large enough that every client uploads it in parts).
/// </summary>
#pragma warning disable CA1001 // xunit disposes fixtures through IAsyncLifetime.DisposeAsync.
public sealed class S3ProcessFixture : IAsyncLifetime
#pragma warning restore CA1001
{
    public const int LargeObjectBytes = 12 * 1024 * 1024;

    private readonly LocalAwsProcess _process = TestLocalAws.Process(durable: true, https: true);

    public LocalAwsProcess LocalAws => _process;

    /// <summary>LocalAws's plain HTTP address (an IP literal).</summary>
    public Uri Http => _process.Endpoint;

    /// <summary>LocalAws's HTTPS address as an IP literal, so every SDK addresses S3 path-style.</summary>
    public Uri Https => _process.HttpsLoopback;

    /// <summary>The CA's certificate file, as <c>AWS_CA_BUNDLE</c> names it.</summary>
    public string CaFile => _process.CaCertificateFile;

    public X509Certificate2 Ca { get; private set; } = null!;

    /// <summary>A file of <see cref="LargeObjectBytes"/> random bytes.</summary>
    public string LargeFile { get; } = Path.Combine(Path.GetTempPath(), $"localaws-s3-{Guid.NewGuid():N}.bin");

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllBytesAsync(LargeFile, RandomNumberGenerator.GetBytes(LargeObjectBytes));
        await _process.StartAsync();
        Ca = X509CertificateLoader.LoadCertificateFromFile(CaFile);
    }

    /// <summary>Creates a bucket of a new name, as LocalAws's admin.</summary>
    public async Task<string> CreateBucketAsync()
    {
        var bucket = S3Http.NewBucket();
        using var client = SignedHttpClient.Create(TestPrincipals.Admin, "s3", Http);
        using var response = await client.PutAsync(new Uri($"/{bucket}", UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return bucket;
    }

    public async ValueTask DisposeAsync()
    {
        Ca?.Dispose();
        File.Delete(LargeFile);
        await _process.DisposeAsync();
    }
}
