using System.Net;
using System.Security.Cryptography.X509Certificates;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tls;

namespace Tap.LocalAws.Tests.Tls;

/// <summary>LocalAws's CA: made once into the data directory (its key owner-only), kept across starts, and what it issues chains to it.</summary>
public sealed class LocalCertificateAuthorityTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("localaws-ca-").FullName;

    private string TlsDirectory => Path.Combine(_data, LocalAwsSettings.CaCertificateDirectory);

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void The_CA_is_made_once_kept_across_starts_and_its_key_is_the_owners_alone()
    {
        string first;
        using (var ca = LocalCertificateAuthority.Open(_data, TimeProvider.System))
        {
            first = ca.CertificatePem;
            Assert.Equal(Path.Combine(TlsDirectory, LocalAwsSettings.CaCertificateFileName), ca.CertificatePath);
            Assert.Equal(first, File.ReadAllText(ca.CertificatePath!));
        }

        using (var again = LocalCertificateAuthority.Open(_data, TimeProvider.System))
        {
            Assert.Equal(first, again.CertificatePem);
        }

        Assert.DoesNotContain("PRIVATE KEY", first, StringComparison.Ordinal);
        var key = Assert.Single(Directory.GetFiles(TlsDirectory, "*key*"));
        Assert.Contains("PRIVATE KEY", File.ReadAllText(key), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(TlsDirectory));
        }
    }

    [Fact]
    public void A_server_certificate_chains_to_the_CA_and_names_what_LocalAws_serves()
    {
        using var ca = LocalCertificateAuthority.Open(dataDirectory: null, TimeProvider.System);
        Uri[] urls = [new("https://tap.test:4567"), new("https://192.0.2.10:4567"), new("https://0.0.0.0:4568")];

        using var server = ca.IssueServerCertificate(LocalAwsHttps.DnsNames("eu-west-1", urls), LocalAwsHttps.Addresses(urls), TimeProvider.System);

        Assert.True(server.HasPrivateKey);
        using var root = X509Certificate2.CreateFromPem(ca.CertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        foreach (var name in (string[])["localhost", "tap.test", "my-bucket.s3.localhost", "my-bucket.s3.eu-west-1.localhost", "abc123.execute-api.eu-west-1.localhost"])
        {
            Assert.True(server.MatchesHostname(name), name);
        }

        foreach (var name in (string[])["example.com", "a.b.s3.localhost", "my-bucket.s3.us-east-1.localhost"])
        {
            Assert.False(server.MatchesHostname(name), name);
        }

        var addresses = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses().ToList();
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("192.0.2.10")], addresses);
    }

    [Fact]
    public void A_damaged_or_half_missing_CA_stops_the_start_and_is_left_as_it_was()
    {
        using (LocalCertificateAuthority.Open(_data, TimeProvider.System))
        {
        }

        var certificate = Path.Combine(TlsDirectory, LocalAwsSettings.CaCertificateFileName);
        File.WriteAllText(certificate, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        var damaged = Assert.Throws<InvalidOperationException>(() => LocalCertificateAuthority.Open(_data, TimeProvider.System));
        Assert.Contains("Delete that directory", damaged.Message, StringComparison.Ordinal);
        Assert.Contains("bm90IGEgY2VydGlmaWNhdGU=", File.ReadAllText(certificate), StringComparison.Ordinal);

        File.Delete(certificate);
        var half = Assert.Throws<InvalidOperationException>(() => LocalCertificateAuthority.Open(_data, TimeProvider.System));
        Assert.Contains("only one of", half.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(certificate));
    }
}
