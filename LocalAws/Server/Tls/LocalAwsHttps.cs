using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tls;

/// <summary>
/// HTTPS on every <c>https://</c> address LocalAws listens on, with a certificate from its own CA naming
/// <c>localhost</c>, the loopback addresses, the host names LocalAws serves under <c>localhost</c> (S3's
/// <c>{bucket}.s3.localhost</c> and <c>{bucket}.s3.{region}.localhost</c>, API Gateway's
/// <c>{apiId}.execute-api.{region}.localhost</c>) and the hosts named in <c>--urls</c>; and the CA's certificate at
/// <see cref="LocalAwsSettings.CaCertificatePath"/>.
/// </summary>
internal static class LocalAwsHttps
{
    public static IServiceCollection AddLocalAwsHttps(this IServiceCollection services)
    {
        services.AddSingleton(provider => LocalCertificateAuthority.Open(
            provider.GetRequiredService<LocalAwsSettings>().DataDirectory, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelHttps>();
        return services;
    }

    public static IEndpointRouteBuilder MapCaCertificate(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(LocalAwsSettings.CaCertificatePath, (LocalCertificateAuthority ca) => Results.Text(ca.CertificatePem, "application/x-pem-file"))
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>The DNS names the server certificate holds for <paramref name="region"/> and the hosts of <paramref name="urls"/>.</summary>
    public static IEnumerable<string> DnsNames(string region, IEnumerable<Uri> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        string[] served =
        [
            "localhost",
            "s3.localhost",
            "*.s3.localhost",
            $"s3.{region}.localhost",
            $"*.s3.{region}.localhost",
            $"*.execute-api.{region}.localhost",
        ];
        return served.Concat(urls.Where(u => u.HostNameType == UriHostNameType.Dns).Select(u => u.Host));
    }

    /// <summary>The loopback addresses and any address named in <paramref name="urls"/>.</summary>
    public static IEnumerable<IPAddress> Addresses(IEnumerable<Uri> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        IPAddress[] loopback = [IPAddress.Loopback, IPAddress.IPv6Loopback];
        return loopback.Concat(urls
            .Where(u => u.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
            .Select(u => IPAddress.Parse(u.DnsSafeHost))
            .Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any)));
    }

    /// <summary>Gives Kestrel's HTTPS addresses the CA's server certificate, issued when the first one is bound.</summary>
    private sealed class KestrelHttps(LocalCertificateAuthority ca, LocalAwsSettings settings, IConfiguration configuration, TimeProvider clock)
        : IConfigureOptions<KestrelServerOptions>
    {
        public void Configure(KestrelServerOptions options)
        {
            var urls = (configuration["urls"] ?? string.Empty)
                .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null)
                .OfType<Uri>()
                .Where(u => u.Scheme == Uri.UriSchemeHttps)
                .ToList();
            var certificate = new Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2>(
                () => ca.IssueServerCertificate(DnsNames(settings.Region, urls), Addresses(urls), clock));
            options.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificate.Value);
        }
    }
}
