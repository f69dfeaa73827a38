using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tap.LocalAws.Protocols;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// Reads a template body, JSON or YAML, into one JSON tree: YAML's short forms become the long ones (<c>!Ref X</c> is
/// <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> is <c>{"Fn::GetAtt": ["A", "B"]}</c>, <c>!Sub …</c> is <c>{"Fn::Sub": …}</c>),
/// so everything after reading sees one shape.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>CloudFormation's limit on a template passed as <c>TemplateBody</c>.</summary>
    public const int MaxBodyBytes = 51_200;

    /// <summary>Its limit on a template read from S3 (<c>TemplateURL</c>).</summary>
    public const int MaxUrlTemplateBytes = 1_048_576;

    // The short forms CloudFormation's YAML knows: its intrinsic, condition and rule functions.
    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub", "Transform", "Length", "ToJsonString",
        "And", "Equals", "If", "Not", "Or", "Contains", "EachMemberEquals", "EachMemberIn", "RefAll", "ValueOf", "ValueOfAll",
    };

    public static JsonObject Read(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var trimmed = body.AsSpan().TrimStart();
        return trimmed.Length > 0 && trimmed[0] == '{' ? ReadJson(body) : ReadYaml(body);
    }

    private static JsonObject ReadJson(string body)
    {
        try
        {
            // A key given twice, at any depth, fails here rather than where its object is first read.
            return JsonNode.Parse(body, documentOptions: JsonProtocol.StrictJson) as JsonObject
                ?? throw TemplateException.Format("JSON not well-formed.");
        }
        catch (JsonException ex) when (ex.LineNumber is null)
        {
            // Only a repeated key fails past the reader, which knows where it is.
            throw TemplateException.Format("JSON not well-formed. (a key is given twice)");
        }
        catch (JsonException ex)
        {
            throw TemplateException.Format($"JSON not well-formed. (line {ex.LineNumber + 1}, column {(ex.BytePositionInLine ?? 0) + 1})");
        }
    }

    private static JsonObject ReadYaml(string body)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(body));
        }
        catch (YamlException ex)
        {
            throw TemplateException.Format($"YAML not well-formed. (line {ex.Start.Line}, column {ex.Start.Column})");
        }

        if (stream.Documents.Count != 1)
        {
            throw TemplateException.Format("YAML not well-formed. (a template is one document)");
        }

        return Convert(stream.Documents[0].RootNode, depth: 0) as JsonObject
            ?? throw TemplateException.Format("YAML not well-formed. (a template is a mapping)");
    }

    private static JsonNode? Convert(YamlNode node, int depth)
    {
        // Aliases may make a small document deep; a template is never this deep.
        if (depth > 64)
        {
            throw TemplateException.Format("YAML not well-formed. (nested too deeply)");
        }

        JsonNode? value = node switch
        {
            YamlScalarNode scalar => Scalar(scalar),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, depth + 1))]),
            YamlMappingNode mapping => Mapping(mapping, depth),
            _ => throw TemplateException.Format($"YAML not well-formed. (line {node.Start.Line}, column {node.Start.Column})"),
        };
        return node.Tag.IsEmpty || node.Tag.IsNonSpecific ? value : ShortForm(node.Tag.Value, value, node);
    }

    private static JsonObject Mapping(YamlMappingNode mapping, int depth)
    {
        var result = new JsonObject();
        foreach (var (key, child) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                throw TemplateException.Format($"YAML not well-formed. (line {key.Start.Line}, column {key.Start.Column}: a key must be a scalar)");
            }

            if (!result.TryAdd(name, Convert(child, depth + 1)))
            {
                throw TemplateException.Format($"YAML not well-formed. (line {key.Start.Line}, column {key.Start.Column}: duplicate key {name})");
            }
        }

        return result;
    }

    /// <summary>A plain scalar is YAML 1.2's core schema (booleans, numbers, null); a quoted one is a string. Numbers with leading zeros (account ids) stay strings.</summary>
    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style is not ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when IntegerPattern().IsMatch(text) && long.TryParse(text, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when FloatPattern().IsMatch(text) && double.TryParse(text, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }

    private static JsonObject ShortForm(string tag, JsonNode? value, YamlNode node)
    {
        var name = tag.StartsWith('!') ? tag[1..] : tag;
        switch (name)
        {
            case "Ref" or "Condition":
                return new JsonObject { [name] = value };
            case "GetAtt" when value is JsonValue dotted && dotted.TryGetValue<string>(out var text):
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                if (dot <= 0 || dot == text.Length - 1)
                {
                    throw TemplateException.Format($"YAML not well-formed. (line {node.Start.Line}, column {node.Start.Column}: !GetAtt takes Resource.Attribute)");
                }

                return new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) };
            case var function when Functions.Contains(function):
                return new JsonObject { ["Fn::" + name] = value };
            default:
                throw TemplateException.Format($"YAML not well-formed. (line {node.Start.Line}, column {node.Start.Column}: unknown tag {tag})");
        }
    }

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
