using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// The Query protocol's parameters as the document a service works on, and a document as a Query answer's XML:
/// <c>A.member.1.B</c> is <c>A[0].B</c> and a <c>member</c> element is a list's item. Query sends every value as
/// text, so a service reads numbers and booleans from text as well as from typed values.
/// </summary>
internal static class QueryDocument
{
    /// <summary>The parameters other than <c>Action</c> and <c>Version</c>, as a document.</summary>
    public static JsonObject Read(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var root = new JsonObject();
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (key is "Action" or "Version")
            {
                continue;
            }

            var path = key.Split('.');
            if (!Place(root, path, 0, value))
            {
                throw new AwsServiceException(new Tap.Aws.Errors.AwsError(400, "MalformedQueryString", $"The parameter {key} is not a valid Query parameter name."));
            }
        }

        return root;
    }

    /// <summary>Writes <paramref name="document"/>'s members as elements: lists as <c>member</c> items, timestamps in ISO 8601.</summary>
    public static void Write(XmlWriter xml, JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(xml);
        ArgumentNullException.ThrowIfNull(document);
        foreach (var (name, value) in document)
        {
            WriteElement(xml, name, value);
        }
    }

    private static void WriteElement(XmlWriter xml, string name, JsonNode? node)
    {
        if (node is null)
        {
            return;
        }

        xml.WriteStartElement(name);
        switch (node)
        {
            case JsonObject structure:
                Write(xml, structure);
                break;
            case JsonArray list:
                foreach (var item in list)
                {
                    WriteElement(xml, "member", item);
                }

                break;
            case JsonValue value:
                xml.WriteString(Text(DocumentScalar.Of(value)));
                break;
        }

        xml.WriteEndElement();
    }

    private static string Text(object scalar) => scalar switch
    {
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        // As CloudWatch writes doubles: a whole one with its ".0".
        double number => number % 1 == 0 && Math.Abs(number) < 1e15 ? number.ToString("0.0", CultureInfo.InvariantCulture) : number.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(scalar, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>Puts <paramref name="value"/> at <paramref name="path"/> below <paramref name="container"/>; false for a path that contradicts another.</summary>
    private static bool Place(JsonNode container, string[] path, int at, string value)
    {
        var segment = path[at];
        if (segment == "member")
        {
            // "member" is followed by the item's 1-based index.
            if (container is not JsonArray list || at + 1 >= path.Length || !int.TryParse(path[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
            {
                return false;
            }

            while (list.Count < index)
            {
                list.Add(null);
            }

            if (at + 2 == path.Length)
            {
                list[index - 1] = value;
                return true;
            }

            list[index - 1] ??= path[at + 2] == "member" ? new JsonArray() : new JsonObject();
            return Place(list[index - 1]!, path, at + 2, value);
        }

        if (container is not JsonObject structure || segment.Length == 0)
        {
            return false;
        }

        if (at + 1 == path.Length)
        {
            // "Name=" with no members is how Query sends an empty list; a list's members win over it.
            if (structure[segment] is null)
            {
                structure[segment] = value;
            }

            return true;
        }

        if (structure[segment] is JsonValue { } empty && empty.GetValue<object>() is string { Length: 0 })
        {
            structure.Remove(segment);
        }

        structure[segment] ??= path[at + 1] == "member" ? new JsonArray() : new JsonObject();
        return Place(structure[segment]!, path, at + 1, value);
    }
}
