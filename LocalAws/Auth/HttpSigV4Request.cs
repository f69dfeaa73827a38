using Microsoft.AspNetCore.Http.Features;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Auth;

/// <summary>An ASP.NET Core request as SigV4 sees it: the raw request target, every header line, the body's hash.</summary>
internal static class HttpSigV4Request
{
    public static SigV4Request From(HttpRequest request, ReadOnlySpan<byte> body)
    {
        // The raw target keeps the client's encoding (ASP.NET Core decodes Path), which is what was signed.
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                headers.Add(new(name, value ?? string.Empty));
            }
        }

        return new SigV4Request(
            request.Method,
            queryStart < 0 ? target : target[..queryStart],
            queryStart < 0 ? string.Empty : target[(queryStart + 1)..],
            headers,
            CanonicalRequest.HexSha256(body));
    }
}
