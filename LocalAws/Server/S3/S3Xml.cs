using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Tap.LocalAws.S3;

/// <summary>Reading S3's request documents (no DTDs, no external entities) and writing its values.</summary>
internal static class S3Xml
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
    };

    /// <summary>The document's root, if it is named <paramref name="root"/>; S3's MalformedXML otherwise.</summary>
    public static XElement Parse(byte[] body, string root)
    {
        try
        {
            using var stream = new MemoryStream(body);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            var element = XDocument.Load(reader).Root;
            return element?.Name.LocalName == root ? element : throw S3Errors.MalformedXml();
        }
        catch (XmlException)
        {
            throw S3Errors.MalformedXml();
        }
    }

    /// <summary>The children named <paramref name="name"/>, in any namespace (clients send S3's or none).</summary>
    public static IEnumerable<XElement> Children(this XElement element, string name) => element.Elements().Where(e => e.Name.LocalName == name);

    public static string? ChildValue(this XElement element, string name) => element.Children(name).FirstOrDefault()?.Value;

    /// <summary>A boolean child as S3 writes it (<c>true</c>/<c>false</c>); absent is false.</summary>
    public static bool ChildBoolean(this XElement element, string name) => element.ChildValue(name) switch
    {
        null => false,
        var value when bool.TryParse(value.Trim(), out var parsed) => parsed,
        _ => throw S3Errors.MalformedXml(),
    };

    /// <summary>A timestamp as S3 writes it in XML: ISO 8601 with milliseconds, UTC.</summary>
    public static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A timestamp as S3 writes it in headers (RFC 7231).</summary>
    public static string HttpDate(DateTimeOffset instant) => instant.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    public static void Element(this XmlWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteElementString(name, value);
        }
    }

    public static void Element(this XmlWriter writer, string name, long value) => writer.WriteElementString(name, value.ToString(CultureInfo.InvariantCulture));

    public static void Element(this XmlWriter writer, string name, bool value) => writer.WriteElementString(name, value ? "true" : "false");
}
