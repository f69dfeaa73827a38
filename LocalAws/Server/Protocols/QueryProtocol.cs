using System.Text;
using System.Xml;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>AWS Query responses (XML): <c>{Action}Response/{Action}Result</c>, or an <c>ErrorResponse</c>.</summary>
internal static class QueryProtocol
{
    /// <summary>Tags as Query services write them: <c>Tags</c> with a <c>member</c> of <c>Key</c> and <c>Value</c> each.</summary>
    public static void WriteTags(XmlWriter xml, IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(tags);
        xml.WriteStartElement("Tags");
        foreach (var (key, value) in tags)
        {
            xml.WriteStartElement("member");
            xml.WriteElementString("Key", key);
            xml.WriteElementString("Value", value);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>A map as Query services write one: <paramref name="name"/> with an <c>entry</c> of <c>key</c> and <c>value</c> each.</summary>
    public static void WriteMap(XmlWriter xml, string name, IEnumerable<KeyValuePair<string, string>> entries)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(entries);
        xml.WriteStartElement(name);
        foreach (var (key, value) in entries)
        {
            xml.WriteStartElement("entry");
            xml.WriteElementString("key", key);
            xml.WriteElementString("value", value);
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    /// <summary>Runs an operation that answers with an empty result, and gives that result's writer.</summary>
    public static Action<XmlWriter> Done(Action run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run();
        return _ => { };
    }

    public static async Task WriteAsync(HttpResponse response, AwsServiceMetadata service, string action, string requestId, Action<XmlWriter> writeResult)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/xml";
        await WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement(action + "Response", service.XmlNamespace);
            writer.WriteStartElement(action + "Result");
            writeResult(writer);
            writer.WriteEndElement();
            writer.WriteStartElement("ResponseMetadata");
            writer.WriteElementString("RequestId", requestId);
            writer.WriteEndElement();
            writer.WriteEndElement();
        });
    }

    /// <param name="xmlNamespace">The service's namespace; none when the request named no service LocalAws serves.</param>
    public static Task WriteErrorAsync(HttpResponse response, AwsError error, string requestId, string? xmlNamespace)
    {
        response.StatusCode = error.StatusCode;
        response.ContentType = "text/xml";
        return WriteXmlAsync(response, writer =>
        {
            writer.WriteStartElement("ErrorResponse", xmlNamespace);
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
