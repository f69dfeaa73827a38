using Tap.Aws.Signing;

namespace Tap.LocalAws.Services;

/// <summary>
/// The service a request is signed for, read from its credential scope (<c>…/{region}/{service}/aws4_request</c>)
/// before anything is verified: services that share a route (<c>/</c>) tell their requests apart by it.
/// </summary>
internal static class SigningScope
{
    /// <summary>Whether the request's credential scope names <paramref name="service"/>; false for a request that carries no SigV4 credential.</summary>
    public static bool IsSignedFor(HttpRequest request, string service)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Every request on a shared route asks: read the scope in place, without a string per request.
        var credential = request.Headers.Authorization.ToString() is { Length: > 0 } authorization
            ? authorization
            : request.Query[SigV4Constants.QueryParameters.Credential].ToString();
        var end = credential.IndexOf("/aws4_request", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var start = credential.LastIndexOf('/', end - 1);
        return start >= 0 && credential.AsSpan(start + 1, end - start - 1).SequenceEqual(service);
    }
}
