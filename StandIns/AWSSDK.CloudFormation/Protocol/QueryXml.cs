using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.Aws.CloudFormation.Protocol;

/// <summary>
/// Reads a Query response, <c>&lt;{Action}Response&gt;&lt;{Action}Result&gt;…</c>, by local names (the service's XML
/// namespace is not checked); a list is its <c>member</c> children, absent lists and members stay <see langword="null"/>.
/// </summary>
internal static class QueryXml
{
    public static XElement Result(byte[] payload, string action, string? requestId)
    {
        try
        {
            using var stream = new MemoryStream(payload);
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var root = XDocument.Load(reader).Root ?? throw new XmlException("No root element.");
            return Child(root, action + "Result") ?? new XElement(action + "Result");
        }
        catch (XmlException ex)
        {
            throw new AmazonUnmarshallingException(requestId, lastKnownLocation: action, innerException: ex, statusCode: System.Net.HttpStatusCode.OK);
        }
    }

    public static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    public static string? Text(XElement? parent, string name) => Child(parent, name)?.Value;

    public static bool? Boolean(XElement? parent, string name) => Text(parent, name) is { } text ? text == "true" : null;

    public static DateTime? Time(XElement? parent, string name) => Text(parent, name) is { Length: > 0 } text
        ? DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
        : null;

    public static List<T>? Members<T>(XElement? parent, string name, Func<XElement, T> read) =>
        Child(parent, name) is { } list ? [.. list.Elements().Where(e => e.Name.LocalName == "member").Select(read)] : null;

    public static List<string>? Strings(XElement? parent, string name) => Members(parent, name, member => member.Value);
}
