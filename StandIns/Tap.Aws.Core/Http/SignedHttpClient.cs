using Amazon.Runtime;
using Tap.Aws.Signing;

namespace Tap.Aws.Http;

/// <summary>The HttpClient an AWS client sends through: every request signed with SigV4 for one service and region.</summary>
public static class SignedHttpClient
{
    /// <summary>
    /// A client that signs as <paramref name="credentials"/> (resolved per request, so refreshed credentials are
    /// used) over <paramref name="transport"/> (a plain <see cref="SocketsHttpHandler"/> when unset), which it owns.
    /// </summary>
    public static HttpClient Create(AWSCredentials credentials, string region, string signingName, TimeSpan? timeout = null, HttpMessageHandler? transport = null)
    {
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler chain.
        var handler = new SigV4SigningHandler(credentials, region, signingName, new SigV4Signer(TimeProvider.System))
        {
            InnerHandler = transport ?? new SocketsHttpHandler(),
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { Timeout = timeout ?? TimeSpan.FromSeconds(100) };
    }
}
