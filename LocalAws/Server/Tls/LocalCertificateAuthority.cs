using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Tls;

/// <summary>
/// LocalAws's own certificate authority, which issues the certificate its HTTPS addresses serve. Made on the first
/// start into <c>{DataDirectory}/tls/</c> (<c>ca.pem</c>, and its key <c>ca-key.pem</c>, owner-only and never
/// logged or served) and kept across restarts, so a client trusts it once; in memory, new each start, without a data
/// directory. A CA file that is damaged, or one half of the pair missing, stops the start: a new CA would silently
/// break every client that trusts the old one.
/// </summary>
internal sealed class LocalCertificateAuthority : IDisposable
{
    private const string KeyFileName = "ca-key.pem";
    private const string SubjectName = "CN=LocalAws Local CA, O=LocalAws";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(3650);

    // Apple's and the browsers' limit on a server certificate's validity.
    private static readonly TimeSpan ServerLifetime = TimeSpan.FromDays(397);

    private readonly X509Certificate2 _certificate;

    private LocalCertificateAuthority(X509Certificate2 certificate, string? certificatePath)
    {
        _certificate = certificate;
        CertificatePath = certificatePath;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA's certificate in PEM: what clients trust (<c>AWS_CA_BUNDLE</c>, <c>curl --cacert</c>).</summary>
    public string CertificatePem { get; }

    /// <summary>Where the CA's certificate is written, when there is a data directory.</summary>
    public string? CertificatePath { get; }

    /// <summary>The CA of <paramref name="dataDirectory"/>, made there on first use; in memory without one.</summary>
    public static LocalCertificateAuthority Open(string? dataDirectory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (dataDirectory is null)
        {
            return new LocalCertificateAuthority(Create(clock), certificatePath: null);
        }

        var directory = Path.Combine(Path.GetFullPath(dataDirectory), LocalAwsSettings.CaCertificateDirectory);
        var certificatePath = Path.Combine(directory, LocalAwsSettings.CaCertificateFileName);
        var keyPath = Path.Combine(directory, KeyFileName);
        DurableFile.CreateDirectory(directory);
        return (File.Exists(certificatePath), File.Exists(keyPath)) switch
        {
            (true, true) => new LocalCertificateAuthority(Load(certificatePath, keyPath, clock), certificatePath),
            (false, false) => new LocalCertificateAuthority(Save(Create(clock), certificatePath, keyPath), certificatePath),
            _ => throw Damaged(directory, $"only one of {LocalAwsSettings.CaCertificateFileName} and {KeyFileName} is there"),
        };
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsNames"/> and <paramref name="addresses"/>, signed by this CA,
    /// with its private key; new each start, so it always names what LocalAws serves now.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost, O=LocalAws", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        var now = clock.GetUtcNow();
        var notAfter = now + ServerLifetime < _certificate.NotAfter.ToUniversalTime() ? now + ServerLifetime : _certificate.NotAfter.ToUniversalTime();
        using var issued = request.Create(_certificate, now.AddDays(-1), notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12, so the key outlives this method on every platform's TLS stack.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), password: null);
    }

    public void Dispose() => _certificate.Dispose();

    private static X509Certificate2 Create(TimeProvider clock)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = clock.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now + Lifetime);
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>Writes the key first: a crash between the two files leaves a key alone, which the next start reports.</summary>
    private static X509Certificate2 Save(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        using var key = certificate.GetECDsaPrivateKey()!;
        var keyPem = Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n");
        try
        {
            DurableFile.Replace(keyPath, file => file.Write(keyPem));
            DurableFile.Replace(certificatePath, file => file.Write(Encoding.ASCII.GetBytes(certificate.ExportCertificatePem() + "\n")));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyPem);
        }

        return certificate;
    }

    private static X509Certificate2 Load(string certificatePath, string keyPath, TimeProvider clock)
    {
        X509Certificate2 certificate;
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
        }
        catch (CryptographicException ex)
        {
            throw Damaged(Path.GetDirectoryName(certificatePath)!, $"its files cannot be read as a certificate and its key ({ex.Message})");
        }

        var now = clock.GetUtcNow();
        if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true }
            || now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            certificate.Dispose();
            throw Damaged(Path.GetDirectoryName(certificatePath)!, "its certificate is not a CA that is valid now");
        }

        return certificate;
    }

    private static InvalidOperationException Damaged(string directory, string reason) => new(
        $"LocalAws: the certificate authority in '{directory}' cannot be used: {reason}. Delete that directory to make a new one (clients must then trust the new {LocalAwsSettings.CaCertificateFileName}).");
}
