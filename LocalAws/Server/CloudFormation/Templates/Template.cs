using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// A template's sections, checked as CloudFormation checks them before anything is created: the known top-level
/// sections only, at least one resource, alphanumeric logical ids, each resource with a <c>Type</c> and only
/// CloudFormation's resource attributes. Section values stay JSON: the intrinsics are resolved later, per stack.
/// </summary>
public sealed class Template
{
    private static readonly HashSet<string> Sections = new(StringComparer.Ordinal)
    {
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs",
    };

    private Template(JsonObject body) => Body = body;

    /// <summary>The template as read.</summary>
    public JsonObject Body { get; }

    public string? Description { get; private init; }

    public IReadOnlyDictionary<string, ParameterDeclaration> Parameters { get; private init; } = new Dictionary<string, ParameterDeclaration>();

    public JsonObject Mappings { get; private init; } = [];

    public IReadOnlyDictionary<string, JsonNode?> Conditions { get; private init; } = new Dictionary<string, JsonNode?>();

    public JsonObject Rules { get; private init; } = [];

    /// <summary>The resources in template order.</summary>
    public IReadOnlyList<ResourceDeclaration> Resources { get; private init; } = [];

    public IReadOnlyList<OutputDeclaration> Outputs { get; private init; } = [];

    public static Template Parse(string body) => Parse(TemplateReader.Read(body));

    public static Template Parse(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var unknown = body.Select(p => p.Key).Where(k => !Sections.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw TemplateException.Format($"Invalid template property or properties [{string.Join(", ", unknown)}]");
        }

        if (body["AWSTemplateFormatVersion"] is { } version && version.ToString() != "2010-09-09")
        {
            throw TemplateException.Format($"{version} is not a supported value for AWSTemplateFormatVersion.");
        }

        if (body["Transform"] is { } transform)
        {
            throw TemplateException.Format($"Transform {transform.ToJsonString()} is not supported here: LocalAws runs no macros.");
        }

        string? description = null;
        if (body[nameof(Description)] is { } text)
        {
            description = text is JsonValue value && value.TryGetValue<string>(out var s) ? s : throw TemplateException.Format("Every Description member must be a string.");
            if (description.Length > 1024)
            {
                throw TemplateException.Format("Template Description can not exceed 1024 characters.");
            }
        }

        var resources = Section(body, "Resources");
        if (resources.Count == 0)
        {
            throw TemplateException.Format("At least one Resources member must be defined.");
        }

        // Ref names a parameter or a resource by its logical ID alone, so one may not be both.
        if (Section(body, "Parameters").Select(p => p.Key).FirstOrDefault(name => resources.ContainsKey(name)) is { } shared)
        {
            throw TemplateException.Format($"{shared} is the logical ID of both a parameter and a resource; logical IDs must be unique within a template.");
        }

        return new Template(body)
        {
            Description = description,
            Parameters = Section(body, "Parameters").ToDictionary(p => LogicalId(p.Key, "Parameters"), p => ParameterDeclaration.Parse(p.Key, Member(p.Value, "Parameters", p.Key)), StringComparer.Ordinal),
            Mappings = Section(body, "Mappings"),
            Conditions = Section(body, "Conditions").ToDictionary(p => LogicalId(p.Key, "Conditions"), p => p.Value, StringComparer.Ordinal),
            Rules = Section(body, "Rules"),
            Resources = [.. resources.Select(p => ResourceDeclaration.Parse(LogicalId(p.Key, "Resources"), Member(p.Value, "Resources", p.Key)))],
            Outputs = [.. Section(body, "Outputs").Select(p => OutputDeclaration.Parse(LogicalId(p.Key, "Outputs"), Member(p.Value, "Outputs", p.Key)))],
        };
    }

    /// <summary>What a stack that has no template yet (<c>REVIEW_IN_PROGRESS</c>, made by a CREATE change set) is deleted by.</summary>
    public static Template None { get; } = new([]);

    public ResourceDeclaration? Resource(string logicalId) => Resources.FirstOrDefault(r => r.LogicalId == logicalId);

    private static JsonObject Section(JsonObject body, string name) => body[name] switch
    {
        null => [],
        JsonObject section => section,
        _ => throw TemplateException.Format($"Every {name} member must be an object."),
    };

    internal static JsonObject Member(JsonNode? value, string section, string name) =>
        value as JsonObject ?? throw TemplateException.Format($"[/{section}/{name}] Every {section} member must be an object.");

    private static string LogicalId(string name, string section) =>
        name.Length is > 0 and <= 255 && name.All(char.IsAsciiLetterOrDigit)
            ? name
            : throw TemplateException.Format($"{(section == "Resources" ? "Resource" : section.TrimEnd('s'))} name {name} is non alphanumeric.");
}
