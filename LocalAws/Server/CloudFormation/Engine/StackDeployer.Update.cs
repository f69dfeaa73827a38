using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// UpdateStack: new resources created, changed ones updated in place or, when a create-only property or the type
/// changed, replaced (the new one made first, the old deleted at cleanup under <c>UpdateReplacePolicy</c>),
/// resources the template no longer names deleted at cleanup. The stack as it was is saved before anything changes,
/// so a failure — or a restart mid-update — rolls every change back from it: what was created deleted, what was
/// updated updated back, the template and parameters as they were.
/// </summary>
public sealed partial class StackDeployer
{
    private const string ReplacementReason = "Requested update requires the creation of a new physical resource; hence creating one.";

    /// <param name="operation">The update: its template and parameters are the new ones, which the stack adopts unless the update rolls back.</param>
    public async Task UpdateAsync(StackOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var stack = operation.Stack;
        var previous = StackCheckpoint.Of(stack);
        stack.BeforeUpdate = previous;
        operation.Adopt();
        await StackEventAsync(operation, StackStatus.UpdateInProgress, "User Initiated", cancellationToken);
        var scope = Scope(operation);
        string? failed = null;
        foreach (var logicalId in DependencyGraph.Build(operation.Template).CreationOrder())
        {
            var declaration = operation.Template.Resource(logicalId)!;
            if (IsWanted(declaration, scope) && await ApplyAsync(operation, scope, declaration, cancellationToken) is { } failure)
            {
                failed = $"The following resource(s) failed to {failure}: [{logicalId}].";
                break;
            }
        }

        failed ??= ResolveOutputs(operation, scope);
        if (failed is not null)
        {
            await RollBackUpdateAsync(operation, failed, cancellationToken);
            return;
        }

        // Cleanup: the replaced physical resources (under their UpdateReplacePolicy), then what the new template no
        // longer has or whose condition no longer holds (under their DeletionPolicy), in the old template's order.
        var replaced = previous.Resources.AsEnumerable()
            .Where(old => stack.Resource(old.LogicalId) is { } now && now.PhysicalId != old.PhysicalId)
            .Select(old => Pending(old, old.UpdateReplacePolicy));
        var removed = stack.Resources.Where(r => operation.Template.Resource(r.LogicalId) is not { } declaration || !IsWanted(declaration, scope)).ToList();
        stack.Resources.RemoveAll(removed.Contains);
        stack.PendingDeletions = [.. replaced.Reverse(), .. InDeletionOrder(Template.Parse(previous.TemplateBody), removed)];
        await StackEventAsync(operation, StackStatus.UpdateCompleteCleanupInProgress, null, cancellationToken);
        await CleanUpAsync(operation, StackStatus.UpdateComplete, cancellationToken);
    }

    /// <summary>Deletes the update's leftovers and ends the update in <paramref name="finalStatus"/>.</summary>
    private async Task CleanUpAsync(StackOperation operation, string finalStatus, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        await DeleteAllAsync(operation, [.. stack.PendingDeletions], cancellationToken);
        (stack.PendingDeletions, stack.BeforeUpdate) = ([], null);
        stack.LastUpdatedTime = clock.GetUtcNow();
        await StackEventAsync(operation, finalStatus, null, cancellationToken);
    }

    private static bool IsWanted(ResourceDeclaration declaration, StackScope scope) =>
        declaration.Condition is not { } condition || scope.Condition(condition);

    /// <summary>A resource on its way out, deleted under <paramref name="policy"/>.</summary>
    private static StackResourceRecord Pending(StackResourceRecord record, string policy)
    {
        var copy = record.Copy();
        copy.DeletionPolicy = policy;
        return copy;
    }

    /// <summary>Brings one resource to its new declaration; what failed ("create" or "update"), or null.</summary>
    private async Task<string?> ApplyAsync(StackOperation operation, StackScope scope, ResourceDeclaration declaration, CancellationToken cancellationToken)
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
            return await ProvisionAsync(operation, scope, declaration, fresh, current: null, cancellationToken) ? null : "create";
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
            return "update";
        }

        var replace = existing.ResourceType != declaration.Type || _providers[declaration.Type].Schema.RequiresReplacement(existing.Properties, properties);
        if (!replace && JsonNode.DeepEquals(existing.Properties, properties))
        {
            return null;
        }

        if (replace)
        {
            // The new physical resource takes the old one's place in the stack; the old one waits for cleanup.
            stack.Resources[stack.Resources.IndexOf(existing)] = fresh;
            await ResourceEventAsync(operation, fresh, ResourceStatus.UpdateInProgress, ReplacementReason, cancellationToken);
            return await ProvisionAsync(operation, scope, declaration, fresh, current: null, cancellationToken) ? null : "create";
        }

        return await ProvisionAsync(operation, scope, declaration, existing, existing.Provisioned, cancellationToken) ? null : "update";
    }

    /// <summary>
    /// Puts the stack back as <see cref="StackRecord.BeforeUpdate"/> holds it: a resource updated in place is updated
    /// back, one the update created (new, or a replacement) is deleted at cleanup and the one it replaced restored.
    /// </summary>
    private async Task RollBackUpdateAsync(StackOperation operation, string reason, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        var previous = stack.BeforeUpdate ?? throw new InvalidOperationException($"{stack.StackId} has no state to roll back to.");
        await StackEventAsync(operation, StackStatus.UpdateRollbackInProgress, reason, cancellationToken);
        var rolledBack = true;
        var created = new List<StackResourceRecord>();
        foreach (var record in Enumerable.Reverse(stack.Resources.ToList()))
        {
            var before = previous.Resources.Find(r => r.LogicalId == record.LogicalId);
            if (before is null || before.PhysicalId != record.PhysicalId || before.ResourceType != record.ResourceType)
            {
                created.Add(record);
                stack.Resources.Remove(record);
            }
            else if (!JsonNode.DeepEquals(before.Properties, record.Properties) || record.Status is ResourceStatus.UpdateFailed or ResourceStatus.UpdateInProgress)
            {
                rolledBack &= await RevertAsync(operation, record, before, cancellationToken);
            }
        }

        // What the update replaced or removed comes back as it was.
        foreach (var before in previous.Resources.Where(b => stack.Resource(b.LogicalId) is null))
        {
            stack.Resources.Add(before.Copy());
        }

        stack.Resources.Sort((a, b) => previous.Resources.FindIndex(r => r.LogicalId == a.LogicalId).CompareTo(previous.Resources.FindIndex(r => r.LogicalId == b.LogicalId)));
        previous.Restore(stack);
        if (!rolledBack)
        {
            stack.BeforeUpdate = null;
            await StackEventAsync(operation, StackStatus.UpdateRollbackFailed, null, cancellationToken);
            return;
        }

        // What the update created goes at cleanup, as CloudFormation does it; a resource made under
        // RetainExceptOnCreate is deleted too.
        stack.PendingDeletions = [.. stack.PendingDeletions, .. created];
        await StackEventAsync(operation, StackStatus.UpdateRollbackCompleteCleanupInProgress, null, cancellationToken);
        await CleanUpAsync(operation, StackStatus.UpdateRollbackComplete, cancellationToken);
    }

    /// <summary>Updates a resource back to the properties it had; false when that failed.</summary>
    private async Task<bool> RevertAsync(StackOperation operation, StackResourceRecord record, StackResourceRecord before, CancellationToken cancellationToken)
    {
        await ResourceEventAsync(operation, record, ResourceStatus.UpdateInProgress, null, cancellationToken);
        try
        {
            var made = await _providers[record.ResourceType].UpdateAsync(operation.Request(record.LogicalId, before.Properties), record.Provisioned, cancellationToken);
            (record.PhysicalId, record.Attributes, record.Properties) = (made.PhysicalId, new(made.Attributes), (JsonObject)before.Properties.DeepClone());
            await ResourceEventAsync(operation, record, ResourceStatus.UpdateComplete, null, cancellationToken);
            return true;
        }
        catch (Exception ex) when (Reason(ex) is { } failure)
        {
            await ResourceEventAsync(operation, record, ResourceStatus.UpdateFailed, failure, cancellationToken);
            return false;
        }
    }
}
