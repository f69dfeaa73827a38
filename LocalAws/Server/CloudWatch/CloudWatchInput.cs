using System.Globalization;
using System.Text.Json.Nodes;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudWatch;

/// <summary>
/// One structure of a CloudWatch request, member by member, whichever protocol carried it: Query sends every value
/// as text, CBOR typed. A member of the wrong kind or outside its modeled constraints is CloudWatch's
/// <c>ValidationError</c>, a missing required one <c>MissingParameter</c>.
/// </summary>
internal sealed class CloudWatchInput(JsonObject members)
{
    public string? Text(string member, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (members[member] is not { } node)
        {
            return null;
        }

        var text = node is JsonValue value && DocumentScalar.Of(value) is string s ? s : throw Invalid(member, "Member must be a string");
        return text.Length < minLength
            ? throw Invalid(member, $"Member must have length greater than or equal to {minLength}")
            : text.Length > maxLength ? throw Invalid(member, $"Member must have length less than or equal to {maxLength}") : text;
    }

    public string RequiredText(string member, int minLength = 1, int maxLength = int.MaxValue) =>
        Text(member, minLength, maxLength) ?? throw CloudWatchErrors.MissingParameter(member);

    /// <summary>A text member that must be one of <paramref name="allowed"/>.</summary>
    public string? Enum(string member, IReadOnlyCollection<string> allowed)
    {
        var text = Text(member);
        return text is null || allowed.Contains(text, StringComparer.Ordinal)
            ? text
            : throw Invalid(member, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
    }

    public int? Whole(string member, int min = int.MinValue, int max = int.MaxValue)
    {
        if (members[member] is not { } node)
        {
            return null;
        }

        long? whole = node is JsonValue value ? DocumentScalar.Of(value) switch
        {
            long l => l,
            string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;
        return whole is not { } w ? throw Invalid(member, "Member must be an integer")
            : w < min ? throw Invalid(member, $"Member must have value greater than or equal to {min}")
            : w > max ? throw Invalid(member, $"Member must have value less than or equal to {max}") : (int)w;
    }

    public double? Number(string member)
    {
        if (members[member] is not { } node)
        {
            return null;
        }

        double? number = node is JsonValue value ? DocumentScalar.Of(value) switch
        {
            long l => l,
            double d => d,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;
        return number is { } n && double.IsFinite(n) ? n : throw Invalid(member, "Member must be a number");
    }

    public bool? Flag(string member) => members[member] switch
    {
        null => null,
        JsonValue value => DocumentScalar.Of(value) switch
        {
            bool b => b,
            "true" => true,
            "false" => false,
            _ => throw Invalid(member, "Member must be a boolean"),
        },
        _ => throw Invalid(member, "Member must be a boolean"),
    };

    /// <summary>A list of text; Query's empty list (<c>Name=</c>) is an empty list.</summary>
    public IReadOnlyList<string> Texts(string member, int maxItems = int.MaxValue)
    {
        var items = Items(member, maxItems);
        return [.. items.Select(item => item is JsonValue value && DocumentScalar.Of(value) is string s ? s : throw Invalid(member, "Member must be a list of strings"))];
    }

    /// <summary>A list of structures.</summary>
    public IReadOnlyList<CloudWatchInput> Structures(string member, int maxItems = int.MaxValue) =>
        [.. Items(member, maxItems).Select(item => item is JsonObject structure ? new CloudWatchInput(structure) : throw Invalid(member, "Member must be a list of structures"))];

    public CloudWatchInput? Structure(string member) => members[member] switch
    {
        null => null,
        JsonObject structure => new CloudWatchInput(structure),
        _ => throw Invalid(member, "Member must be a structure"),
    };

    private List<JsonNode?> Items(string member, int maxItems)
    {
        List<JsonNode?> items = members[member] switch
        {
            null => [],
            JsonArray list => [.. list],
            JsonValue value when DocumentScalar.Of(value) is string { Length: 0 } => [],
            _ => throw Invalid(member, "Member must be a list"),
        };
        return items.Count > maxItems ? throw Invalid(member, $"Member must have length less than or equal to {maxItems}") : items;
    }

    /// <summary>CloudWatch's constraint message names the member in camel case, and never quotes its value.</summary>
    private static AwsServiceException Invalid(string member, string constraint) =>
        CloudWatchErrors.Validation($"1 validation error detected: Value at '{char.ToLowerInvariant(member[0])}{member[1..]}' failed to satisfy constraint: {constraint}");
}
