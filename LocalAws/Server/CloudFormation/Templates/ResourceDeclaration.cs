using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>One entry of a template's <c>Resources</c>: its type, unresolved properties and resource attributes.</summary>
public sealed record ResourceDeclaration(string LogicalId, string Type, JsonObject Properties)
{
    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "Type", "Properties", "DependsOn", "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy", "Version",
    };

    /// <summary>The resources named in <c>DependsOn</c>.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The condition that decides whether it is created at all.</summary>
    public string? Condition { get; init; }

    /// <summary><c>Delete</c> (the default), <c>Retain</c>, <c>RetainExceptOnCreate</c> or <c>Snapshot</c>.</summary>
    public string DeletionPolicy { get; init; } = "Delete";

    /// <summary>What happens to the old physical resource when an update replaces it.</summary>
    public string UpdateReplacePolicy { get; init; } = "Delete";

    public JsonNode? Metadata { get; init; }

    internal static ResourceDeclaration Parse(string logicalId, JsonObject body)
    {
        foreach (var (name, _) in body)
        {
            if (!Attributes.Contains(name))
            {
                throw TemplateException.Format($"Invalid template resource property '{name}'");
            }
        }

        var type = body[nameof(Type)] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw TemplateException.Format($"[/Resources/{logicalId}] Every Resources object must contain a Type member.");
        var properties = body[nameof(Properties)] switch
        {
            null => [],
            JsonObject p => p,
            _ => throw TemplateException.Format($"[/Resources/{logicalId}/Properties] Every Properties member must be an object."),
        };
        var dependsOn = body[nameof(DependsOn)] switch
        {
            null => [],
            JsonValue one when one.TryGetValue<string>(out var name) => [name],
            JsonArray many when many.All(d => d is JsonValue v && v.TryGetValue<string>(out _)) => many.Select(d => d!.GetValue<string>()).ToArray(),
            _ => throw TemplateException.Format($"[/Resources/{logicalId}/DependsOn] DependsOn must be a string or a list of strings."),
        };
        return new ResourceDeclaration(logicalId, type, properties)
        {
            DependsOn = dependsOn,
            Condition = body[nameof(Condition)] is null ? null : Text(body, nameof(Condition), logicalId),
            DeletionPolicy = Policy(body, nameof(DeletionPolicy), logicalId),
            UpdateReplacePolicy = Policy(body, nameof(UpdateReplacePolicy), logicalId),
            Metadata = body[nameof(Metadata)],
        };
    }

    private static string Policy(JsonObject body, string attribute, string logicalId)
    {
        if (body[attribute] is null)
        {
            return "Delete";
        }

        var policy = Text(body, attribute, logicalId);
        return policy is "Delete" or "Retain" or "RetainExceptOnCreate" or "Snapshot"
            ? policy
            : throw TemplateException.Format($"[/Resources/{logicalId}/{attribute}] {attribute} must be one of Delete, Retain, RetainExceptOnCreate, Snapshot.");
    }

    private static string Text(JsonObject body, string attribute, string logicalId) =>
        body[attribute] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw TemplateException.Format($"[/Resources/{logicalId}/{attribute}] {attribute} must be a string.");
}
