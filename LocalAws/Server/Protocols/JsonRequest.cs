using System.Text.Json;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// An AWS JSON 1.1 request body read member by member: a member of the wrong JSON type is a
/// <c>SerializationException</c>, one outside its modeled constraints a <c>ValidationException</c> in AWS's words.
/// Values are never quoted back: they may be secrets.
/// </summary>
internal sealed class JsonRequest : IDisposable
{
    private readonly JsonDocument _document;

    private JsonRequest(JsonDocument document) => _document = document;

    public static JsonRequest Parse(byte[] body, string operation)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new JsonException();
            }

            return new JsonRequest(document);
        }
        catch (JsonException)
        {
            throw AwsServiceException.Json("SerializationException", $"The request body is not a valid {operation} request.");
        }
    }

    public void Dispose() => _document.Dispose();

    public string RequiredString(string member, int minLength, int maxLength) =>
        String(member, minLength, maxLength) ?? throw NotNull(member);

    public string? String(string member, int minLength, int maxLength)
    {
        if (Member(member, JsonValueKind.String) is not { } element)
        {
            return null;
        }

        var value = element.GetString()!;
        return value.Length < minLength
            ? throw Constraint(member, $"Member must have length greater than or equal to {minLength}")
            : value.Length > maxLength ? throw Constraint(member, $"Member must have length less than or equal to {maxLength}") : value;
    }

    /// <summary>A string member that must be one of <paramref name="allowed"/>.</summary>
    public string? Enum(string member, params string[] allowed)
    {
        var value = String(member, 0, int.MaxValue);
        return value is null || allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw Constraint(member, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    public bool? Bool(string member) => Member(member, JsonValueKind.True, JsonValueKind.False)?.GetBoolean();

    public int? Int(string member, int min, int max)
    {
        if (Member(member, JsonValueKind.Number) is not { } element)
        {
            return null;
        }

        if (!element.TryGetInt32(out var value))
        {
            throw Serialization(member);
        }

        return value < min
            ? throw Constraint(member, $"Member must have value greater than or equal to {min}")
            : value > max ? throw Constraint(member, $"Member must have value less than or equal to {max}") : value;
    }

    public IReadOnlyList<string>? Strings(string member, int minItems, int maxItems)
    {
        if (Array(member, minItems, maxItems) is not { } items)
        {
            return null;
        }

        return [.. items.Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Serialization(member))];
    }

    public IReadOnlyList<JsonElement>? Array(string member, int minItems, int maxItems)
    {
        if (Member(member, JsonValueKind.Array) is not { } element)
        {
            return null;
        }

        var count = element.GetArrayLength();
        return count < minItems
            ? throw Constraint(member, $"Member must have length greater than or equal to {minItems}")
            : count > maxItems ? throw Constraint(member, $"Member must have length less than or equal to {maxItems}") : [.. element.EnumerateArray()];
    }

    /// <summary>An object member (a nested structure), or null when absent.</summary>
    public JsonElement? Object(string member) => Member(member, JsonValueKind.Object);

    /// <summary>A list of <c>{"Key": …, "Value": …}</c> tags, as ECR and KMS take them (<paramref name="keyMember"/> names the key's member).</summary>
    public IReadOnlyDictionary<string, string> TagList(string member, string keyMember, string valueMember) =>
        (Array(member, 0, 200) ?? []).ToDictionary(
            t => String(t, keyMember) ?? throw Constraint(member, $"Member must have a {keyMember}"), t => String(t, valueMember) ?? string.Empty, StringComparer.Ordinal);

    /// <summary>A map of strings (tags, most often).</summary>
    public IReadOnlyDictionary<string, string>? Map(string member) =>
        Member(member, JsonValueKind.Object)?.EnumerateObject().ToDictionary(
            p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Serialization(member), StringComparer.Ordinal);

    /// <summary>The element of a JSON object member (a map, or an item of an array), for nested shapes.</summary>
    public static string? String(JsonElement item, string member) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(member, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw Serialization(member)
            : null;

    /// <summary>A number member of a nested structure.</summary>
    public static double? Number(JsonElement item, string member) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(member, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Serialization(member)
            : null;

    /// <summary>A map of strings in a nested structure.</summary>
    public static Dictionary<string, string>? Map(JsonElement item, string member) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(member, out var value)
            ? value.ValueKind == JsonValueKind.Object
                ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw Serialization(member), StringComparer.Ordinal)
                : throw Serialization(member)
            : null;

    /// <summary>A boolean member of a nested structure.</summary>
    public static bool? Bool(JsonElement item, string member) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(member, out var value)
            ? value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Serialization(member)
            : null;

    public static AwsServiceException Constraint(string member, string constraint) =>
        AwsServiceException.Json("ValidationException", $"1 validation error detected: Value at '{CamelCase(member)}' failed to satisfy constraint: {constraint}");

    private JsonElement? Member(string member, params JsonValueKind[] kinds)
    {
        if (!_document.RootElement.TryGetProperty(member, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return kinds.Contains(element.ValueKind) ? element : throw Serialization(member);
    }

    private static AwsServiceException NotNull(string member) =>
        AwsServiceException.Json("ValidationException", $"1 validation error detected: Value null at '{CamelCase(member)}' failed to satisfy constraint: Member must not be null");

    private static AwsServiceException Serialization(string member) =>
        AwsServiceException.Json("SerializationException", $"The value of {member} is not of the type the operation expects.");

    private static string CamelCase(string member) => char.ToLowerInvariant(member[0]) + member[1..];
}
