using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// UpdateStack: new resources created, changed ones updated in place or, when a create-only property or the type
/// changed, replaced (the new one made first, the old deleted at cleanup under <c>UpdateReplacePolicy</c>),
/// resources the template no longer names deleted at cleanup. A failure rolls every change back: what was created
/// deleted, what was updated updated back, the template and parameters as they were.
/// </summary>
public sealed partial class StackDeployer
{
    private const string ReplacementReason = "Requested update requires the creation of a new physical resource; hence creating one.";

    private enum Change
    {
        Created,
        Updated,
        Replaced,
    }

    /// <param name="operation">The update: its template and parameters are the new ones, which the stack adopts unless the update rolls back.</param>
    /// <param name="previous">The stack's template before the update, to order the deletions of what it alone names.</param>
    public async Task UpdateAsync(StackOperation operation, Template previous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(previous);
        var stack = operation.Stack;
        var (oldBody, oldDescription, oldParameters, oldResolved, oldNoEcho, oldOutputs) =
            (stack.TemplateBody, stack.Description, stack.Parameters, stack.ResolvedParameters, stack.NoEchoParameters, stack.Outputs);
        operation.Adopt();
        await StackEventAsync(operation, StackStatus.UpdateInProgress, "User Initiated", cancellationToken);
        var scope = Scope(operation);
        var changes = new List<(Change Change, StackResourceRecord Record, StackResourceRecord? Before)>();
        string? failed = null;
        foreach (var logicalId in DependencyGraph.Build(operation.Template).CreationOrder())
        {
            var declaration = operation.Template.Resource(logicalId)!;
            if (declaration.Condition is { } condition && !scope.Condition(condition))
            {
                continue;
            }

            var change = await ApplyAsync(operation, scope, declaration, cancellationToken);
            if (change is { Succeeded: false })
            {
                failed = $"The following resource(s) failed to {(change.Value.Change is Change.Updated ? "update" : "create")}: [{logicalId}].";
                changes.Add((change.Value.Change, change.Value.Record, change.Value.Before));
                break;
            }

            if (change is { } made)
            {
                changes.Add((made.Change, made.Record, made.Before));
            }
        }

        failed ??= ResolveOutputs(operation, scope);
        if (failed is not null)
        {
            await RollBackUpdateAsync(operation, changes, failed, cancellationToken);
            (stack.TemplateBody, stack.Description, stack.Parameters, stack.ResolvedParameters, stack.NoEchoParameters, stack.Outputs) =
                (oldBody, oldDescription, oldParameters, oldResolved, oldNoEcho, oldOutputs);
            await StackEventAsync(operation, StackStatus.UpdateRollbackComplete, null, cancellationToken);
            return;
        }

        // Cleanup: the replaced physical resources, then what the new template no longer has (or whose condition no longer holds).
        await StackEventAsync(operation, StackStatus.UpdateCompleteCleanupInProgress, null, cancellationToken);
        foreach (var (_, _, before) in changes.Where(c => c.Change is Change.Replaced).Reverse())
        {
            await RemoveReplacedAsync(operation, before!, cancellationToken);
        }

        var kept = changes.Select(c => c.Record).Concat(stack.Resources.Where(r => IsWanted(operation.Template, scope, r.LogicalId))).ToHashSet();
        var removed = InDeletionOrder(previous, stack.Resources.Where(r => !kept.Contains(r)));
        await DeleteAllAsync(operation, removed, cancellationToken);
        stack.Resources.RemoveAll(r => removed.Contains(r) && r.Status is ResourceStatus.DeleteComplete or ResourceStatus.DeleteSkipped);
        stack.LastUpdatedTime = clock.GetUtcNow();
        await StackEventAsync(operation, StackStatus.UpdateComplete, null, cancellationToken);
    }

    private static bool IsWanted(Template template, StackScope scope, string logicalId) =>
        template.Resource(logicalId) is { } declaration && (declaration.Condition is not { } condition || scope.Condition(condition));

    /// <summary>Brings one resource to its new declaration; null when nothing about it changed.</summary>
    private async Task<(Change Change, StackResourceRecord Record, StackResourceRecord? Before, bool Succeeded)?> ApplyAsync(
        StackOperation operation, StackScope scope, ResourceDeclaration declaration, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        var existing = stack.Resource(declaration.LogicalId);
        var fresh = new StackResourceRecord
        {
            LogicalId = declaration.LogicalId,
            ResourceType = declaration.Type,
            DeletionPolicy = declaration.DeletionPolicy,
            UpdateReplacePolicy = declaration.UpdateReplacePolicy,
        };
        if (existing is null)
        {
            stack.Resources.Add(fresh);
            return (Change.Created, fresh, null, await ProvisionAsync(operation, scope, declaration, fresh, current: null, cancellationToken));
        }

        (existing.DeletionPolicy, existing.UpdateReplacePolicy) = (declaration.DeletionPolicy, declaration.UpdateReplacePolicy);
        JsonObject properties;
        try
        {
            properties = _providers[declaration.Type].Schema.Validate(declaration.LogicalId, scope.Evaluate(declaration.Properties) as JsonObject ?? []);
        }
        catch (TemplateException ex)
        {
            await ResourceEventAsync(operation, existing, ResourceStatus.UpdateFailed, ex.Message, cancellationToken);
            return (Change.Updated, existing, Copy(existing), false);
        }

        var replace = existing.ResourceType != declaration.Type || _providers[declaration.Type].Schema.RequiresReplacement(existing.Properties, properties);
        if (!replace && JsonNode.DeepEquals(existing.Properties, properties))
        {
            return null;
        }

        if (replace)
        {
            // The new physical resource takes the old one's place in the stack; the old one is kept aside until cleanup.
            stack.Resources[stack.Resources.IndexOf(existing)] = fresh;
            await ResourceEventAsync(operation, fresh, ResourceStatus.UpdateInProgress, ReplacementReason, cancellationToken);
            var created = await ProvisionAsync(operation, scope, declaration, fresh, current: null, cancellationToken);
            return (Change.Replaced, fresh, existing, created);
        }

        var before = Copy(existing);
        var updated = await ProvisionAsync(operation, scope, declaration, existing, existing.Provisioned, cancellationToken);
        return (Change.Updated, existing, before, updated);
    }

    private async Task RollBackUpdateAsync(
        StackOperation operation, List<(Change Change, StackResourceRecord Record, StackResourceRecord? Before)> changes, string reason, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        await StackEventAsync(operation, StackStatus.UpdateRollbackInProgress, reason, cancellationToken);
        var replacements = new List<StackResourceRecord>();
        foreach (var (change, record, before) in Enumerable.Reverse(changes))
        {
            switch (change)
            {
                case Change.Updated when before is not null && !JsonNode.DeepEquals(before.Properties, record.Properties):
                    await RevertAsync(operation, record, before, cancellationToken);
                    break;
                case Change.Replaced:
                    stack.Resources[stack.Resources.IndexOf(record)] = before!;
                    replacements.Add(record);
                    break;
                case Change.Created:
                    replacements.Add(record);
                    break;
            }
        }

        // What the update created — new resources and replacements — goes at cleanup, as CloudFormation does it.
        await StackEventAsync(operation, StackStatus.UpdateRollbackCompleteCleanupInProgress, null, cancellationToken);
        foreach (var record in replacements)
        {
            await DeleteOneAsync(operation, record, cancellationToken);
            stack.Resources.Remove(record);
        }
    }

    /// <summary>Updates a resource back to the properties it had.</summary>
    private async Task RevertAsync(StackOperation operation, StackResourceRecord record, StackResourceRecord before, CancellationToken cancellationToken)
    {
        await ResourceEventAsync(operation, record, ResourceStatus.UpdateInProgress, null, cancellationToken);
        try
        {
            var made = await _providers[record.ResourceType].UpdateAsync(operation.Request(record.LogicalId, before.Properties), record.Provisioned, cancellationToken);
            (record.PhysicalId, record.Attributes, record.Properties) = (made.PhysicalId, new(made.Attributes), before.Properties);
            await ResourceEventAsync(operation, record, ResourceStatus.UpdateComplete, null, cancellationToken);
        }
        catch (Exception ex) when (Reason(ex) is { } failure)
        {
            await ResourceEventAsync(operation, record, ResourceStatus.UpdateFailed, failure, cancellationToken);
        }
    }

    private async Task RemoveReplacedAsync(StackOperation operation, StackResourceRecord old, CancellationToken cancellationToken)
    {
        if (old.UpdateReplacePolicy is "Retain")
        {
            await ResourceEventAsync(operation, old, ResourceStatus.DeleteSkipped, null, cancellationToken);
            return;
        }

        await DeleteOneAsync(operation, old, cancellationToken);
    }

    private static StackResourceRecord Copy(StackResourceRecord record) => new()
    {
        LogicalId = record.LogicalId,
        ResourceType = record.ResourceType,
        PhysicalId = record.PhysicalId,
        Status = record.Status,
        Properties = (JsonObject)record.Properties.DeepClone(),
        Attributes = new(record.Attributes),
        DeletionPolicy = record.DeletionPolicy,
        UpdateReplacePolicy = record.UpdateReplacePolicy,
        LastUpdated = record.LastUpdated,
    };
}
