using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.AspNetCoreServer;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Tap.Aws.Lambda.APIGatewayEvents;

namespace Tap.Aws.Lambda.Hosting.Http;

/// <summary>
/// A finished ASP.NET Core response → the payload 2.0 response: status, headers (repeated ones comma-joined),
/// <c>Set-Cookie</c> into <c>cookies</c>, and the body as text, or base64 when binary or compressed.
/// </summary>
internal static class HttpApiV2ResponseMapper
{
    private static readonly HostingOptions Defaults = new();

    public static APIGatewayHttpApiV2ProxyResponse Map(LambdaResponseFeature response, HostingOptions? options = null)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var cookies = new List<string>();
        foreach (var (name, values) in response.Headers)
        {
            if (string.Equals(name, HeaderNames.SetCookie, StringComparison.OrdinalIgnoreCase))
            {
                cookies.AddRange(values.Where(v => v is not null)!);
            }
            else
            {
                headers[name] = string.Join(',', values.ToArray());
            }
        }

        var body = response.Buffer.ToArray();
        var text = ChooseEncoding(response.Headers, options ?? Defaults) == ResponseContentEncoding.Default;
        return new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = response.StatusCode,
            Headers = headers,
            Cookies = cookies.Count == 0 ? null : [.. cookies],
            Body = body.Length == 0 ? null : text ? System.Text.Encoding.UTF8.GetString(body) : Convert.ToBase64String(body),
            IsBase64Encoded = body.Length > 0 && !text,
        };
    }

    /// <summary>
    /// Registered mappings first (content type, then content encoding); then compressed bodies and binary media
    /// types go base64 and text types as they are; anything else takes <see cref="HostingOptions.DefaultResponseContentEncoding"/>.
    /// </summary>
    internal static ResponseContentEncoding ChooseEncoding(IHeaderDictionary headers, HostingOptions options)
    {
        var type = headers.ContentType.ToString();
        var mediaType = type.Split(';', 2)[0].Trim().ToLowerInvariant();
        var encoding = headers.ContentEncoding.ToString();
        if (options.ContentTypeEncodings.TryGetValue(mediaType, out var byType))
        {
            return byType;
        }

        if (encoding.Length > 0 && options.ContentEncodingEncodings.TryGetValue(encoding, out var byEncoding))
        {
            return byEncoding;
        }

        if (encoding.Length > 0 && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            return ResponseContentEncoding.Base64;
        }

        if (TextMediaTypes.IsText(mediaType))
        {
            return ResponseContentEncoding.Default;
        }

        return IsBinary(mediaType) ? ResponseContentEncoding.Base64 : options.DefaultResponseContentEncoding;
    }

    private static bool IsBinary(string mediaType) =>
        mediaType.StartsWith("image/", StringComparison.Ordinal)
        || mediaType.StartsWith("audio/", StringComparison.Ordinal)
        || mediaType.StartsWith("video/", StringComparison.Ordinal)
        || mediaType.StartsWith("font/", StringComparison.Ordinal)
        || mediaType is "application/octet-stream" or "application/zip" or "application/gzip" or "application/pdf" or "application/wasm";
}
