using System.Xml;
using System.Xml.Linq;

namespace Tap.Aws.Errors;

/// <summary>AWS Query protocol error bodies: <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Code/&gt;&lt;Message/&gt;</c>.</summary>
public static class AwsQueryError
{
    /// <summary>The first error's code and message; a body that is not such XML yields <see langword="null"/>s.</summary>
    public static (string? Code, string? Message) Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return (null, null);
        }

        try
        {
            using var stream = new MemoryStream(body);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var error = XDocument.Load(reader).Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
            return (Child(error, "Code"), Child(error, "Message"));
        }
        catch (XmlException)
        {
            return (null, null);
        }
    }

    private static string? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
