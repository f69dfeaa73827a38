using System.Text;
using System.Xml;
using Tap.Aws.Errors;

namespace Tap.LocalAws.Protocols;

/// <summary>AWS Query responses (XML): <c>{Action}Response/{Action}Result</c>, or an <c>ErrorResponse</c>.</summary>
internal static class QueryProtocol
{
    public const string StsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static async Task WriteAsync(HttpResponse response, string action, string requestId, Action<XmlWriter> writeResult)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/xml";
        await WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement(action + "Response", StsNamespace);
            writer.WriteStartElement(action + "Result");
            writeResult(writer);
            writer.WriteEndElement();
            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        });
    }

    public static Task WriteErrorAsync(HttpResponse response, AwsError error, string requestId)
    {
        response.StatusCode = error.StatusCode;
        response.ContentType = "text/xml";
        return WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement("ErrorResponse", StsNamespace);
            writer.WriteStartElement("Error");
            writer.WriteElementString("Type", error.StatusCode >= 500 ? "Receiver" : "Sender");
            writer.WriteElementString("Code", error.Code);
            writer.WriteElementString("Message", error.Message);
            writer.WriteEndElement();
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
        });
    }

    private static async Task WriteXmlAsync(HttpResponse response, Action<XmlWriter> write)
    {
        var buffer = new StringBuilder();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { OmitXmlDeclaration = true }))
        {
            write(writer);
        }

        await response.WriteAsync(buffer.ToString(), Encoding.UTF8);
    }
}
