using Tap.Aws.Signing;

namespace Tap.LocalAws.Services;

/// <summary>
/// The service a request is signed for, read from its credential scope (<c>…/{region}/{service}/aws4_request</c>)
/// before anything is verified: services that share a route (<c>/</c>) tell their requests apart by it.
/// </summary>
internal static class SigningScope
{
    /// <summary>The scope's service name, or null for a request that carries no SigV4 credential.</summary>
    public static string? Service(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credential = request.Headers.Authorization.ToString() is { Length: > 0 } authorization
            ? authorization
            : request.Query[SigV4Constants.QueryParameters.Credential].ToString();
        var end = credential.IndexOf("/aws4_request", StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var start = credential.LastIndexOf('/', end - 1);
        return start < 0 ? null : credential[(start + 1)..end];
    }
}
