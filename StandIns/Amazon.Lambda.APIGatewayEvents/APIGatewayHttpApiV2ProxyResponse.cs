namespace Amazon.Lambda.APIGatewayEvents;

/// <summary>The function's answer to an HTTP API (payload format 2.0).</summary>
public sealed class APIGatewayHttpApiV2ProxyResponse
{
    public int StatusCode { get; set; }

    /// <summary>Repeated headers are comma-joined; <c>Set-Cookie</c> goes to <see cref="Cookies"/> instead.</summary>
    public Dictionary<string, string>? Headers { get; set; }

    public string[]? Cookies { get; set; }

    public string? Body { get; set; }

    public bool IsBase64Encoded { get; set; }
}
