using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Tap.Aws.Signing;
using Tap.LocalAws.Settings;

namespace Tap.Testing;

/// <summary>HttpClients that sign every request with SigV4 as the AWS SDKs do, over a real socket.</summary>
public static class SignedHttpClient
{
    /// <summary>
    /// A client for <paramref name="service"/> (e.g. <c>execute-api</c>, <c>lambda</c>); unsigned without
    /// <paramref name="credentials"/>. Over HTTPS it trusts <paramref name="trustedCa"/> (LocalAws's CA) alone when
    /// given, as a .NET client is told to: a custom root in the chain policy.
    /// </summary>
    public static HttpClient Create(
        ImmutableCredentials? credentials, string service, Uri? endpoint = null, string region = LocalAwsSettings.DefaultRegion,
        TimeProvider? clock = null, int maxConnectionsPerServer = int.MaxValue, X509Certificate2? trustedCa = null)
    {
#pragma warning disable CA2000 // The HttpClient disposes the handler chain.
        HttpMessageHandler handler = Sockets(trustedCa, maxConnectionsPerServer);
        if (credentials is not null)
        {
            handler = new SigV4SigningHandler(credentials.ToAwsCredentials(), region, service, new SigV4Signer(clock ?? TimeProvider.System)) { InnerHandler = handler };
        }
#pragma warning restore CA2000
        return new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A socket handler that, over HTTPS, trusts <paramref name="trustedCa"/> alone when given (the system's roots otherwise).</summary>
    public static SocketsHttpHandler Sockets(X509Certificate2? trustedCa, int maxConnectionsPerServer = int.MaxValue)
    {
        var sockets = new SocketsHttpHandler { MaxConnectionsPerServer = maxConnectionsPerServer };
        if (trustedCa is not null)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.Add(trustedCa);
            sockets.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
        }

        return sockets;
    }

    /// <summary>The SDK's credentials object for a key, with its session token when it has one.</summary>
    public static AWSCredentials ToAwsCredentials(this ImmutableCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return credentials.UseToken
            ? new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token)
            : new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey);
    }

    /// <summary>Where LocalAws at <paramref name="localAws"/> serves <paramref name="role"/>'s container credentials.</summary>
    public static Uri ContainerCredentialsUrl(Uri localAws, string role) =>
        new(localAws, $"{LocalAwsPrincipalSettings.ContainerCredentialsPathPrefix}/{role}");
}
