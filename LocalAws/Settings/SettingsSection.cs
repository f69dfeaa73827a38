using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Tap.LocalAws.Settings;

/// <summary>
/// The one reader and writer of LocalAws's configuration keys: every key is a property's name, so the model's
/// records read and write the same spelling, and an error names the exact setting
/// (<c>LocalAws configuration LocalAws:Functions:0:Timeout must …</c>).
/// </summary>
public static class SettingsSection
{
    /// <summary>A setting that cannot be used, named by its full configuration path.</summary>
    public static InvalidOperationException Invalid(string path, string setting, string problem) =>
        new($"LocalAws configuration {path}:{setting} {problem}");

    internal static int? Integer(IConfigurationSection section, string setting)
    {
        var text = section[setting];
        return text is null ? null
            : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw Invalid(section.Path, setting, "must be a whole number.");
    }

    internal static double? Number(IConfigurationSection section, string setting)
    {
        var text = section[setting];
        return text is null ? null
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
            : throw Invalid(section.Path, setting, "must be a number.");
    }

    /// <summary>A boolean written as text or as JSON's <c>true</c>/<c>false</c> (which a JSON file's configuration reads as <c>True</c>/<c>False</c>).</summary>
    internal static bool? Boolean(IConfigurationSection section, string setting)
    {
        var text = section[setting];
        return text is null ? null
            : string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true
            : string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false
            : throw Invalid(section.Path, setting, "must be true or false.");
    }

    internal static IReadOnlyList<string> Strings(IConfigurationSection section, string setting) =>
        [.. Entries(section.GetSection(setting)).Select(c => c.Value).OfType<string>()];

    /// <summary>A list's entries in index order (configuration sorts keys as text: 10 before 2).</summary>
    internal static IEnumerable<IConfigurationSection> Entries(IConfigurationSection list) =>
        list.GetChildren().OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue);

    /// <summary>
    /// A JSON document held either as text (<c>"Policies": ["{…}"]</c>, or from the environment) or as a tree (a JSON
    /// configuration file's object). Trees are rebuilt as raw JSON, never bound to classes, so IAM's
    /// string-or-array members and <c>"*"</c> survive intact.
    /// </summary>
    internal static string? Json(IConfigurationSection section) =>
        section.Value ?? (section.GetChildren().Any() ? ToJson(section)!.ToJsonString() : null);

    internal static void Add(List<KeyValuePair<string, string>> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings.Add(new(key, value));
        }
    }

    internal static void Add(List<KeyValuePair<string, string>> settings, string key, int? value) =>
        Add(settings, key, value?.ToString(CultureInfo.InvariantCulture));

    internal static void Add(List<KeyValuePair<string, string>> settings, string key, bool? value) =>
        Add(settings, key, value is { } flag ? (flag ? "true" : "false") : null);

    internal static void Add(List<KeyValuePair<string, string>> settings, string key, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Add(settings, Key(key, i), values[i]);
        }
    }

    internal static string Key(string prefix, string name) => $"{prefix}:{name}";

    internal static string Key(string prefix, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}:{index}");

    /// <summary>Configuration sections back to JSON: numbered children are arrays, named children objects.</summary>
    private static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value is null ? null : JsonValue.Create(section.Value);
        }

        if (IsArray(children))
        {
            return new JsonArray([.. Entries(section).Select(ToJson)]);
        }

        var result = new JsonObject();
        foreach (var child in children)
        {
            result[child.Key] = child.Key == "Condition" ? ConditionToJson(child) : ToJson(child);
        }

        return result;
    }

    /// <summary>
    /// A Condition block. Configuration splits keys at ':', so <c>"sts:ExternalId"</c> arrives as a section
    /// <c>sts</c> holding <c>ExternalId</c>; IAM condition keys never nest, so the path below each operator is
    /// joined back into the key.
    /// </summary>
    private static JsonObject ConditionToJson(IConfigurationSection condition)
    {
        var result = new JsonObject();
        foreach (var conditionOperator in condition.GetChildren())
        {
            var keys = new JsonObject();
            AddConditionKeys(keys, conditionOperator, prefix: null);
            result[conditionOperator.Key] = keys;
        }

        return result;
    }

    private static void AddConditionKeys(JsonObject keys, IConfigurationSection section, string? prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var key = prefix is null ? child.Key : $"{prefix}:{child.Key}";
            var grandchildren = child.GetChildren().ToList();
            if (grandchildren.Count == 0 || IsArray(grandchildren))
            {
                keys[key] = ToJson(child);
            }
            else
            {
                AddConditionKeys(keys, child, key);
            }
        }
    }

    private static bool IsArray(List<IConfigurationSection> children) =>
        children.All(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _));
}
