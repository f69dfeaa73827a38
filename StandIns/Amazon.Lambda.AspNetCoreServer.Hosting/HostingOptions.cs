using Amazon.Lambda.Core;

namespace Amazon.Lambda.AspNetCoreServer.Hosting;

/// <summary>Options for running the app in Lambda, with the official hosting package's names and defaults.</summary>
public class HostingOptions
{
    /// <summary>Converts the event JSON to .NET and the response back (set by the <c>AddAWSLambdaHosting</c> overload that takes one).</summary>
    public ILambdaSerializer? Serializer { get; set; }

    /// <summary>The encoding of responses whose content type and content encoding have no registered or built-in mapping.</summary>
    public ResponseContentEncoding DefaultResponseContentEncoding { get; set; } = ResponseContentEncoding.Default;

    /// <summary>Whether an unhandled exception's details go into the 500 response's body (default: no, as they may reveal internals).</summary>
    public bool IncludeUnhandledExceptionDetailInResponse { get; set; }

    internal Dictionary<string, ResponseContentEncoding> ContentTypeEncodings { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal Dictionary<string, ResponseContentEncoding> ContentEncodingEncodings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sends bodies of <paramref name="contentType"/> (e.g. <c>image/png</c>) with <paramref name="encoding"/>.</summary>
    public void RegisterResponseContentEncodingForContentType(string contentType, ResponseContentEncoding encoding)
    {
        if (!string.IsNullOrEmpty(contentType))
        {
            ContentTypeEncodings[contentType] = encoding;
        }
    }

    /// <summary>Sends bodies with <c>Content-Encoding: <paramref name="contentEncoding"/></c> (e.g. <c>gzip</c>) with <paramref name="encoding"/>.</summary>
    public void RegisterResponseContentEncodingForContentEncoding(string contentEncoding, ResponseContentEncoding encoding)
    {
        if (!string.IsNullOrEmpty(contentEncoding))
        {
            ContentEncodingEncodings[contentEncoding] = encoding;
        }
    }
}
