using Amazon.Runtime;

namespace Tap.Aws.Signing;

/// <summary>
/// An HttpClient handler that signs every request with SigV4, resolving credentials for each request so that
/// refreshed (temporary) credentials are always used.
/// </summary>
public sealed class SigV4SigningHandler(AWSCredentials credentials, string region, string service, SigV4Signer signer)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var resolved = await credentials.GetCredentialsAsync().ConfigureAwait(false);
        await signer.SignAsync(request, resolved, region, service, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
