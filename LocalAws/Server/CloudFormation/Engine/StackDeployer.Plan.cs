using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// A change set's changes: what an update (or a create) with the operation's template and parameters would do to
/// each resource, decided as <see cref="UpdateAsync"/> decides it — a new declaration is an <c>Add</c>, one whose
/// evaluated properties differ a <c>Modify</c> (a replacement when a create-only property or the type changes), one
/// no longer wanted a <c>Remove</c>. A property that follows a resource being added, replaced or modified cannot be
/// known before it runs: it is a <c>Dynamic</c> change, and a <c>Conditional</c> replacement when create-only.
/// </summary>
public sealed partial class StackDeployer
{
    /// <summary>What a value known only after the change set runs evaluates to while planning.</summary>
    private const string KnownAfterApply = "{{changeSet:KNOWN_AFTER_APPLY}}";

    /// <exception cref="TemplateException">The template does not evaluate against the stack (the change set fails).</exception>
    public List<ResourceChange> Plan(StackOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var stack = operation.Stack;
        var planned = new PlannedResources(stack, _providers);
        var scope = new StackScope(operation.Template, operation.Pseudo, operation.Parameters, planned, operation.ImportValue);
        var changes = new List<ResourceChange>();
        foreach (var logicalId in DependencyGraph.Build(operation.Template).CreationOrder())
        {
            var declaration = operation.Template.Resource(logicalId)!;
            if (!IsWanted(declaration, scope))
            {
                continue;
            }

            var existing = stack.Resource(logicalId);
            var evaluated = scope.Evaluate(declaration.Properties) as JsonObject ?? [];
            if (existing is null)
            {
                planned.Replaced.Add(logicalId);
                changes.Add(new("Add", logicalId, null, declaration.Type, null, [], []));
                continue;
            }

            if (Modification(existing, declaration, evaluated) is { } change)
            {
                (change.Replacement == "True" ? planned.Replaced : planned.Modified).Add(logicalId);
                changes.Add(change);
            }
        }

        foreach (var removed in stack.Resources.Where(r => operation.Template.Resource(r.LogicalId) is not { } declaration || !IsWanted(declaration, scope)).Reverse())
        {
            changes.Add(new("Remove", removed.LogicalId, removed.PhysicalId, removed.ResourceType, null, [], []));
        }

        return changes;
    }

    /// <summary>The <c>Modify</c> that takes <paramref name="existing"/> to its new declaration; null when nothing changes.</summary>
    private ResourceChange? Modification(StackResourceRecord existing, ResourceDeclaration declaration, JsonObject evaluated)
    {
        if (existing.ResourceType != declaration.Type)
        {
            return new("Modify", existing.LogicalId, existing.PhysicalId, declaration.Type, "True", ["Properties"], []);
        }

        var schema = _providers[declaration.Type].Schema;
        JsonObject properties;
        try
        {
            properties = schema.Validate(declaration.LogicalId, evaluated);
        }
        catch (TemplateException)
        {
            // Validation is the execution's: there the resource fails in CloudFormation's words and the stack rolls back.
            properties = evaluated;
        }

        var details = new List<ResourceChangeDetail>();
        foreach (var name in existing.Properties.Select(p => p.Key).Union(properties.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var (before, after) = (existing.Properties[name], properties[name]);
            var dynamic = after?.ToJsonString().Contains(KnownAfterApply, StringComparison.Ordinal) == true;
            if (!dynamic && JsonNode.DeepEquals(before, after))
            {
                continue;
            }

            var createOnly = schema.Properties.TryGetValue(name, out var property) && property.CreateOnly;
            details.Add(new("Properties", name, createOnly ? dynamic ? "Conditionally" : "Always" : "Never", dynamic ? "Dynamic" : "Static",
                dynamic ? "ResourceReference" : "DirectModification"));
        }

        if (details.Count == 0)
        {
            return null;
        }

        var replacement = details.Any(d => d.RequiresRecreation == "Always") ? "True" : details.Any(d => d.RequiresRecreation == "Conditionally") ? "Conditional" : "False";
        return new("Modify", existing.LogicalId, existing.PhysicalId, declaration.Type, replacement, ["Properties"], details);
    }

    /// <summary>
    /// <c>Ref</c> and <c>Fn::GetAtt</c> while planning: a resource that stays gives its values; one to be added or
    /// replaced is known only after the change set runs, and so are the attributes of one to be modified.
    /// </summary>
    private sealed class PlannedResources(StackRecord stack, Dictionary<string, IResourceProvider> providers) : IResourceValues
    {
        private readonly LiveResources _live = new(stack, providers);

        public HashSet<string> Replaced { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Modified { get; } = new(StringComparer.Ordinal);

        public JsonNode? Ref(string logicalId) => Replaced.Contains(logicalId) ? JsonValue.Create(KnownAfterApply) : _live.Ref(logicalId);

        public JsonNode GetAtt(string logicalId, string attribute) =>
            Replaced.Contains(logicalId) || Modified.Contains(logicalId) ? JsonValue.Create(KnownAfterApply) : _live.GetAtt(logicalId, attribute);
    }
}
