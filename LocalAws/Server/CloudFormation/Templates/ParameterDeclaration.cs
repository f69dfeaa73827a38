using System.Globalization;
using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>One entry of a template's <c>Parameters</c>, with the constraints CloudFormation checks a value against.</summary>
public sealed record ParameterDeclaration(string Name, string Type)
{
    /// <summary>What a <c>NoEcho</c> parameter's value is shown as, in every answer.</summary>
    public const string Masked = "****";

    private const string SsmValuePrefix = "AWS::SSM::Parameter::Value<";

    private static readonly HashSet<string> Properties = new(StringComparer.Ordinal)
    {
        "Type", "Default", "AllowedValues", "AllowedPattern", "ConstraintDescription", "Description", "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho",
    };

    public string? Default { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<string>? AllowedValues { get; init; }

    public string? AllowedPattern { get; init; }

    public string? ConstraintDescription { get; init; }

    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public double? MinValue { get; init; }

    public double? MaxValue { get; init; }

    public bool NoEcho { get; init; }

    /// <summary>Whether the value names an SSM parameter whose value is used (<c>AWS::SSM::Parameter::Value&lt;…&gt;</c>).</summary>
    public bool IsSsmValue => Type.StartsWith(SsmValuePrefix, StringComparison.Ordinal);

    /// <summary>The type of the value itself: for an SSM parameter type, the type inside the brackets.</summary>
    public string ValueType => IsSsmValue ? Type[SsmValuePrefix.Length..^1] : Type;

    /// <summary>Whether <c>Ref</c> gives a list (<c>CommaDelimitedList</c>, <c>List&lt;…&gt;</c>).</summary>
    public bool IsList => ValueType is "CommaDelimitedList" || ValueType.StartsWith("List<", StringComparison.Ordinal);

    internal static ParameterDeclaration Parse(string name, JsonObject body)
    {
        foreach (var (property, _) in body)
        {
            if (!Properties.Contains(property))
            {
                throw TemplateException.Format($"Invalid template parameter property '{property}'");
            }
        }

        var type = body[nameof(Type)]?.ToString() ?? throw TemplateException.Format($"Parameter '{name}' is missing a Type.");
        var declaration = new ParameterDeclaration(name, type)
        {
            Default = Scalar(body[nameof(Default)]),
            Description = body[nameof(Description)]?.ToString(),
            AllowedValues = body[nameof(AllowedValues)] switch
            {
                null => null,
                JsonArray values => [.. values.Select(v => Scalar(v) ?? string.Empty)],
                _ => throw TemplateException.Format($"Every AllowedValues member of parameter '{name}' must be a list."),
            },
            AllowedPattern = body[nameof(AllowedPattern)]?.ToString(),
            ConstraintDescription = body[nameof(ConstraintDescription)]?.ToString(),
            MinLength = (int?)Number(body, nameof(MinLength), name),
            MaxLength = (int?)Number(body, nameof(MaxLength), name),
            MinValue = Number(body, nameof(MinValue), name),
            MaxValue = Number(body, nameof(MaxValue), name),
            NoEcho = Scalar(body[nameof(NoEcho)]) is { } noEcho && bool.TryParse(noEcho, out var echo) && echo,
        };
        if (!IsKnownType(declaration.ValueType) || declaration.IsSsmValue && declaration.ValueType.StartsWith(SsmValuePrefix, StringComparison.Ordinal))
        {
            throw TemplateException.Format($"Unrecognized parameter type: {type}");
        }

        return declaration;
    }

    /// <summary>A parameter value as CloudFormation reads it: a string (numbers and booleans in JSON become their text).</summary>
    internal static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        JsonArray list => string.Join(',', list.Select(Scalar)),
        _ => node.ToJsonString(),
    };

    private static bool IsKnownType(string type) =>
        type is "String" or "Number" or "List<Number>" or "CommaDelimitedList" or "AWS::SSM::Parameter::Name"
        || type.StartsWith("AWS::", StringComparison.Ordinal)
        || type.StartsWith("List<AWS::", StringComparison.Ordinal) && type.EndsWith('>');

    private static double? Number(JsonObject body, string property, string name)
    {
        if (Scalar(body[property]) is not { } text)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw TemplateException.Format($"Parameter '{name}' has a {property} that is not a number: {text}");
    }
}
