using Amazon.Lambda.APIGatewayEvents;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Amazon.Lambda.AspNetCoreServer.Hosting.Http;

/// <summary>
/// A finished ASP.NET Core response → the payload 2.0 response: status, headers (repeated ones comma-joined),
/// <c>Set-Cookie</c> into <c>cookies</c>, and the body as text, or base64 when binary or compressed.
/// </summary>
internal static class HttpApiV2ResponseMapper
{
    public static APIGatewayHttpApiV2ProxyResponse Map(LambdaResponseFeature response)
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
        var text = IsText(response.Headers);
        return new APIGatewayHttpApiV2ProxyResponse
        {
            StatusCode = response.StatusCode,
            Headers = headers,
            Cookies = cookies.Count == 0 ? null : [.. cookies],
            Body = body.Length == 0 ? null : text ? System.Text.Encoding.UTF8.GetString(body) : Convert.ToBase64String(body),
            IsBase64Encoded = body.Length > 0 && !text,
        };
    }

    /// <summary>Text goes as is; anything compressed, binary or untyped is base64-encoded so no byte is lost.</summary>
    internal static bool IsText(IHeaderDictionary headers)
    {
        var encoding = headers.ContentEncoding.ToString();
        if (encoding.Length > 0 && !string.Equals(encoding, "identity", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var type = headers.ContentType.ToString().ToLowerInvariant();
        return type.StartsWith("text/", StringComparison.Ordinal)
            || type.Contains("json", StringComparison.Ordinal)
            || type.Contains("xml", StringComparison.Ordinal)
            || type.Contains("javascript", StringComparison.Ordinal)
            || type.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal);
    }
}
