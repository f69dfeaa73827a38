using System.Text;
using System.Xml;
using Tap.Aws.Errors;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// AWS REST-XML, as S3 speaks it: documents in S3's namespace, errors as <c>&lt;Error&gt;</c> with the code, the
/// message and the request id (in the body and in <c>x-amz-request-id</c>); a HEAD request's error has no body.
/// </summary>
internal static class RestXmlProtocol
{
    public const string S3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
    public const string ContentType = "application/xml";
    public const string RequestIdHeader = "x-amz-request-id";

    // S3 keys may hold characters XML 1.0 cannot (U+0001 to U+001F): S3 writes them as character references, such as
    // &#x1E;, rather than failing the answer; so does LocalAws (clients that need clean XML ask for encoding-type=url).
    private static readonly XmlWriterSettings Settings = new() { Encoding = new UTF8Encoding(false), Async = true, CheckCharacters = false };

    /// <summary>Writes a 200 answer whose body <paramref name="write"/> writes under the root <paramref name="root"/>.</summary>
    public static async Task WriteAsync(HttpResponse response, string root, Action<XmlWriter> write, int status = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, Settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement(root, S3Namespace);
            write(writer);
            writer.WriteEndElement();
        }

        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = buffer.Length;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    public static async Task WriteErrorAsync(HttpResponse response, AwsError error, string requestId)
    {
        response.StatusCode = error.StatusCode;
        response.Headers[RequestIdHeader] = requestId;
        if (HttpMethods.IsHead(response.HttpContext.Request.Method))
        {
            return;
        }

        var buffer = new MemoryStream();
        await using (buffer.ConfigureAwait(false))
        {
            using (var writer = XmlWriter.Create(buffer, Settings))
            {
                writer.WriteStartDocument();
                writer.WriteStartElement("Error");
                writer.WriteElementString("Code", error.Code);
                writer.WriteElementString("Message", error.Message);
                writer.WriteElementString("RequestId", requestId);
                writer.WriteEndElement();
            }

            response.ContentType = ContentType;
            response.ContentLength = buffer.Length;
            await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
    }
}
