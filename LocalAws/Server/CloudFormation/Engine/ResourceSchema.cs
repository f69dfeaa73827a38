using System.Globalization;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>The JSON type a resource property takes, as a resource type's schema declares it.</summary>
public enum PropertyKind
{
    Text,
    WholeNumber,
    Boolean,
    Map,
    List,

    /// <summary>Any JSON, or a string of JSON (a policy document).</summary>
    Json,
}

/// <summary>One property of a resource type: its kind, whether it is required, and whether changing it replaces the resource.</summary>
public sealed record PropertySchema(PropertyKind Kind)
{
    public bool Required { get; init; }

    /// <summary>CloudFormation's <c>createOnlyProperties</c>: a change creates a new physical resource.</summary>
    public bool CreateOnly { get; init; }

    /// <summary>An object's properties (every other key is refused), or null for any keys.</summary>
    public IReadOnlyDictionary<string, PropertySchema>? Properties { get; init; }

    /// <summary>An array's item schema.</summary>
    public PropertySchema? Items { get; init; }

    public static PropertySchema Text() => new(PropertyKind.Text);

    public static PropertySchema WholeNumber() => new(PropertyKind.WholeNumber);

    public static PropertySchema Boolean() => new(PropertyKind.Boolean);

    public static PropertySchema Json() => new(PropertyKind.Json);

    public static PropertySchema ListOf(PropertySchema items) => new(PropertyKind.List) { Items = items };

    public static PropertySchema MapOf(IReadOnlyDictionary<string, PropertySchema> properties) => new(PropertyKind.Map) { Properties = properties };

    /// <summary>The tag list every taggable type takes: <c>[{ "Key": …, "Value": … }]</c>.</summary>
    public static PropertySchema Tags() => ListOf(MapOf(new Dictionary<string, PropertySchema>
    {
        ["Key"] = Text() with { Required = true },
        ["Value"] = Text() with { Required = true },
    }));
}

/// <summary>
/// A resource type's properties, checked the way CloudFormation's registry checks a resource against its schema
/// before calling the handler: unknown keys, missing required keys and wrong types, each reported at its JSON
/// pointer. Primitive values given as strings are coerced, as CloudFormation does (<c>"3600"</c> is an integer).
/// </summary>
public sealed class ResourceSchema(IReadOnlyDictionary<string, PropertySchema> properties)
{
    public IReadOnlyDictionary<string, PropertySchema> Properties { get; } = properties;

    /// <summary>Returns the properties with primitives coerced to their kinds, or throws CloudFormation's validation error naming the resource.</summary>
    public JsonObject Validate(string logicalId, JsonObject values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var errors = new List<string>();
        var result = (JsonObject)Check("#", values, PropertySchema.MapOf(Properties), errors)!;
        return errors.Count switch
        {
            0 => result,
            1 => throw new TemplateException($"Properties validation failed for resource {logicalId} with message: {errors[0]}"),
            _ => throw new TemplateException($"Properties validation failed for resource {logicalId} with message: [{string.Join(", ", errors)}]"),
        };
    }

    /// <summary>Whether a change from <paramref name="before"/> to <paramref name="after"/> touches a create-only property.</summary>
    public bool RequiresReplacement(JsonObject before, JsonObject after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return Properties.Any(p => p.Value.CreateOnly && !JsonNode.DeepEquals(before[p.Key], after[p.Key]));
    }

    private static JsonNode? Check(string pointer, JsonNode? value, PropertySchema schema, List<string> errors)
    {
        switch (schema.Kind)
        {
            case PropertyKind.Json:
                return value?.DeepClone();
            case PropertyKind.Map when value is JsonObject map:
                return schema.Properties is null ? map.DeepClone() : Object(pointer, map, schema.Properties, errors);
            case PropertyKind.List when value is JsonArray list:
                return new JsonArray([.. list.Select((item, i) => Check($"{pointer}/{i}", item, schema.Items ?? PropertySchema.Json(), errors))]);
            case PropertyKind.Text when value is JsonValue primitive && Intrinsics.Text(primitive) is { } text:
                return JsonValue.Create(text);
            case PropertyKind.WholeNumber when value is JsonValue primitive && long.TryParse(Intrinsics.Text(primitive), NumberStyles.Integer, CultureInfo.InvariantCulture, out var integer):
                return JsonValue.Create(integer);
            case PropertyKind.Boolean when value is JsonValue primitive && bool.TryParse(Intrinsics.Text(primitive), out var flag):
                return JsonValue.Create(flag);
            default:
                errors.Add($"{pointer}: expected type: {Expected(schema.Kind)}, found: {Found(value)}");
                return null;
        }
    }

    private static JsonObject Object(string pointer, JsonObject map, IReadOnlyDictionary<string, PropertySchema> properties, List<string> errors)
    {
        var result = new JsonObject();
        foreach (var (name, child) in map)
        {
            if (properties.TryGetValue(name, out var property))
            {
                result[name] = Check($"{pointer}/{name}", child, property, errors);
            }
            else
            {
                errors.Add($"{pointer}: extraneous key [{name}] is not permitted");
            }
        }

        foreach (var (name, property) in properties)
        {
            if (property.Required && !map.ContainsKey(name))
            {
                errors.Add($"{pointer}: required key [{name}] not found");
            }
        }

        return result;
    }

    private static string Expected(PropertyKind kind) => kind switch
    {
        PropertyKind.WholeNumber => "Integer",
        PropertyKind.Boolean => "Boolean",
        PropertyKind.Map => "JSONObject",
        PropertyKind.List => "JSONArray",
        _ => "String",
    };

    private static string Found(JsonNode? value) => value switch
    {
        JsonObject => "JSONObject",
        JsonArray => "JSONArray",
        null => "Null",
        JsonValue v when v.TryGetValue<bool>(out _) => "Boolean",
        JsonValue v when v.TryGetValue<string>(out _) => "String",
        _ => "Number",
    };
}
