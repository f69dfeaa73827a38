namespace Tap.Aws.Lambda.APIGatewayEvents;

/// <summary>
/// Which bodies travel in an HTTP API event or response as text rather than base64: text types and the structured
/// text formats (JSON, XML, JavaScript, forms). The gateway and the function's hosting decide alike.
/// </summary>
public static class TextMediaTypes
{
    /// <summary>Whether a <c>Content-Type</c> (parameters allowed, any case) names text.</summary>
    public static bool IsText(string? contentType)
    {
        var mediaType = (contentType ?? string.Empty).Split(';', 2)[0].Trim();
        return mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
    }
}
