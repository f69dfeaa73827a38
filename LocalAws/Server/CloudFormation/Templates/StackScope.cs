using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>The pseudo parameters CloudFormation defines for a stack.</summary>
public sealed record PseudoParameters(string AccountId, string Region, string StackName, string StackId)
{
    public const string Partition = "aws";

    public const string UrlSuffix = "amazonaws.com";

    /// <summary>Whether <paramref name="name"/> is one of CloudFormation's pseudo parameters.</summary>
    public static bool IsPseudo(string name) => name is "AWS::AccountId" or "AWS::Region" or "AWS::StackName" or "AWS::StackId" or "AWS::Partition"
        or "AWS::URLSuffix" or "AWS::NotificationARNs" or "AWS::NoValue";

    public JsonNode? Value(string name) => name switch
    {
        "AWS::AccountId" => JsonValue.Create(AccountId),
        "AWS::Region" => JsonValue.Create(Region),
        "AWS::StackName" => JsonValue.Create(StackName),
        "AWS::StackId" => JsonValue.Create(StackId),
        "AWS::Partition" => JsonValue.Create(Partition),
        "AWS::URLSuffix" => JsonValue.Create(UrlSuffix),
        "AWS::NotificationARNs" => new JsonArray(),
        _ => null,
    };
}

/// <summary>What a stack's resources give <c>Ref</c> and <c>Fn::GetAtt</c>, once created.</summary>
public interface IResourceValues
{
    /// <summary>The physical id of a created resource; null for one not declared, or not created (its condition is false).</summary>
    JsonNode? Ref(string logicalId);

    JsonNode GetAtt(string logicalId, string attribute);
}

/// <summary>
/// One stack's scope: its parameters, pseudo parameters, conditions (each evaluated once, a cycle refused) and
/// resources. The <c>Conditions</c> section may not reference resources, as in CloudFormation.
/// </summary>
public sealed class StackScope(
    Template template, PseudoParameters pseudo, IReadOnlyDictionary<string, StackParameter> parameters, IResourceValues resources, Func<string, string?> exportValue)
    : ITemplateScope
{
    private readonly Dictionary<string, bool> _conditions = new(StringComparer.Ordinal);
    private readonly List<string> _evaluating = [];

    public string Region => pseudo.Region;

    public Template Template => template;

    public JsonNode? Ref(string name)
    {
        if (pseudo.Value(name) is { } value)
        {
            return value;
        }

        if (parameters.TryGetValue(name, out var parameter))
        {
            return parameter.Node;
        }

        if (_evaluating.Count > 0 && template.Resource(name) is not null)
        {
            throw TemplateException.Format($"Unresolved dependencies [{name}]. Cannot reference resources in the Conditions block of the template");
        }

        return resources.Ref(name);
    }

    public JsonNode GetAtt(string logicalId, string attribute)
    {
        if (_evaluating.Count > 0)
        {
            throw TemplateException.Format($"Unresolved dependencies [{logicalId}]. Cannot reference resources in the Conditions block of the template");
        }

        return template.Resource(logicalId) is null
            ? throw TemplateException.Error($"instance of Fn::GetAtt references undefined resource {logicalId}")
            : resources.GetAtt(logicalId, attribute);
    }

    public bool Condition(string name)
    {
        if (_conditions.TryGetValue(name, out var known))
        {
            return known;
        }

        if (!template.Conditions.TryGetValue(name, out var condition))
        {
            throw TemplateException.Format($"Unresolved condition dependency {name}");
        }

        if (_evaluating.Contains(name))
        {
            throw TemplateException.Format($"Circular dependency between conditions: [{string.Join(", ", _evaluating.SkipWhile(c => c != name))}]");
        }

        _evaluating.Add(name);
        try
        {
            return _conditions[name] = Intrinsics.IsTrue(condition, this, template.Mappings);
        }
        finally
        {
            _evaluating.RemoveAt(_evaluating.Count - 1);
        }
    }

    public string ImportValue(string exportName) =>
        exportValue(exportName) ?? throw new TemplateException($"No export named {exportName} found.");

    /// <summary>Resolves a resource's properties (or any part of the template) in this scope.</summary>
    public JsonNode? Evaluate(JsonNode? node) => Intrinsics.Evaluate(node, this, template.Mappings);
}
