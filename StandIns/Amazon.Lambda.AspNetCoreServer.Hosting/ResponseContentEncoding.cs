namespace Amazon.Lambda.AspNetCoreServer;

/// <summary>How a response body travels in the Lambda response: as text, or base64-encoded.</summary>
public enum ResponseContentEncoding
{
    /// <summary>The body is UTF-8 text and is returned as it is.</summary>
    Default = 0,

    /// <summary>The body is binary and is returned base64-encoded.</summary>
    Base64,
}
