using Microsoft.Net.Http.Headers;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// An HTTP API's CORS configuration, applied as API Gateway applies it: preflight <c>OPTIONS</c> requests (with
/// <c>Origin</c> and <c>Access-Control-Request-Method</c>) are answered by the gateway, without authorization and
/// without invoking anything; every other response to an allowed origin carries the configured headers, and CORS
/// headers from the function are dropped.
/// </summary>
internal sealed class CorsPolicy(
    IReadOnlyList<string> allowOrigins,
    IReadOnlyList<string> allowMethods,
    IReadOnlyList<string> allowHeaders,
    IReadOnlyList<string> exposeHeaders,
    bool allowCredentials,
    int? maxAge)
{
    private const string Wildcard = "*";

    public static bool IsPreflight(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsOptions(request.Method)
            && request.Headers.ContainsKey(HeaderNames.Origin)
            && request.Headers.ContainsKey(HeaderNames.AccessControlRequestMethod);
    }

    /// <summary>The gateway's answer to a preflight: 204, with the allowances when the origin is allowed.</summary>
    public void WritePreflight(HttpRequest request, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status204NoContent;
        if (AllowedOrigin(request.Headers.Origin) is not { } origin)
        {
            return;
        }

        var headers = response.Headers;
        headers.AccessControlAllowOrigin = origin;
        if (allowMethods.Count > 0)
        {
            headers.AccessControlAllowMethods = allowMethods.Contains(Wildcard)
                ? request.Headers.AccessControlRequestMethod.ToString()
                : string.Join(',', allowMethods);
        }

        if (allowHeaders.Count > 0)
        {
            headers.AccessControlAllowHeaders = allowHeaders.Contains(Wildcard)
                ? request.Headers.AccessControlRequestHeaders.ToString()
                : string.Join(',', allowHeaders);
        }

        if (maxAge is { } seconds)
        {
            headers.AccessControlMaxAge = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (allowCredentials)
        {
            headers.AccessControlAllowCredentials = "true";
        }
    }

    /// <summary>Replaces any CORS headers the response carries with the configured ones, for an allowed origin.</summary>
    public void Apply(HttpRequest request, IHeaderDictionary responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseHeaders);
        foreach (var name in responseHeaders.Keys.Where(k => k.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            responseHeaders.Remove(name);
        }

        if (AllowedOrigin(request.Headers.Origin) is not { } origin)
        {
            return;
        }

        responseHeaders.AccessControlAllowOrigin = origin;
        if (exposeHeaders.Count > 0)
        {
            responseHeaders.AccessControlExposeHeaders = string.Join(',', exposeHeaders);
        }

        if (allowCredentials)
        {
            responseHeaders.AccessControlAllowCredentials = "true";
        }
    }

    /// <summary><c>*</c> when any origin is allowed, the origin itself when it is listed, else none.</summary>
    private string? AllowedOrigin(string? origin) =>
        string.IsNullOrEmpty(origin) ? null
        : allowOrigins.Contains(Wildcard) ? Wildcard
        : allowOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase) ? origin
        : null;
}
