using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// Runs stack operations as CloudFormation does: resources created in dependency order, each step an event; a
/// resource that fails rolls the stack back (everything created so far deleted, honouring <c>DeletionPolicy</c>);
/// deletion in reverse order. Every step is saved before the next begins.
/// </summary>
public sealed partial class StackDeployer(IEnumerable<IResourceProvider> providers, TimeProvider clock, ILogger<StackDeployer> logger)
{
    private readonly Dictionary<string, IResourceProvider> _providers = providers.ToDictionary(p => p.ResourceType, StringComparer.Ordinal);

    /// <summary>The resource types a template may use.</summary>
    public IReadOnlyCollection<string> ResourceTypes => _providers.Keys;

    /// <summary>Refuses a template naming a type no provider serves, as CloudFormation's validation does.</summary>
    public void CheckTypes(Template template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var unknown = template.Resources.Select(r => r.Type).Where(t => !_providers.ContainsKey(t)).Distinct().ToList();
        if (unknown.Count > 0)
        {
            throw TemplateException.Format($"Unrecognized resource types: [{string.Join(", ", unknown)}]");
        }
    }

    public async Task CreateAsync(StackOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var stack = operation.Stack;
        stack.CreationTime = clock.GetUtcNow();
        operation.Adopt();
        await StackEventAsync(operation, StackStatus.CreateInProgress, "User Initiated", cancellationToken);
        var scope = Scope(operation);
        var failed = await CreateAllAsync(operation, scope, created: null, cancellationToken);
        if (failed is null)
        {
            failed = ResolveOutputs(operation, scope);
            if (failed is null)
            {
                await StackEventAsync(operation, StackStatus.CreateComplete, null, cancellationToken);
                return;
            }
        }

        if (stack.DisableRollback)
        {
            await StackEventAsync(operation, StackStatus.CreateFailed, failed, cancellationToken);
            return;
        }

        await RollBackCreateAsync(operation, failed + " Rollback requested by user.", cancellationToken);
    }

    public Task DeleteAsync(StackOperation operation, CancellationToken cancellationToken) => DeleteAsync(operation, "User Initiated", cancellationToken);

    /// <summary>
    /// Finishes an operation a stopped LocalAws left in progress, as its own failure would have: a create is rolled
    /// back, a delete carried on, an update rolled back from the state saved before it (or, once it reached cleanup,
    /// its cleanup finished).
    /// </summary>
    public Task ResumeAsync(StackOperation operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var stack = operation.Stack;
        return stack.Status switch
        {
            StackStatus.CreateInProgress or StackStatus.RollbackInProgress when stack.DisableRollback =>
                StackEventAsync(operation, StackStatus.CreateFailed, InterruptedReason, cancellationToken),
            StackStatus.CreateInProgress or StackStatus.RollbackInProgress => RollBackCreateAsync(operation, InterruptedReason, cancellationToken),
            StackStatus.DeleteInProgress => DeleteAsync(operation, InterruptedReason, cancellationToken),
            StackStatus.UpdateInProgress or StackStatus.UpdateRollbackInProgress => RollBackUpdateAsync(operation, InterruptedReason, cancellationToken),
            StackStatus.UpdateCompleteCleanupInProgress => CleanUpAsync(operation, StackStatus.UpdateComplete, cancellationToken),
            StackStatus.UpdateRollbackCompleteCleanupInProgress => CleanUpAsync(operation, StackStatus.UpdateRollbackComplete, cancellationToken),
            _ => Task.CompletedTask,
        };
    }

    /// <summary>Ends an interrupted operation as failed when it cannot be finished (its principal is gone).</summary>
    public Task AbandonAsync(StackOperation operation, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var failed = operation.Stack.Status switch
        {
            StackStatus.CreateInProgress when operation.Stack.DisableRollback => StackStatus.CreateFailed,
            StackStatus.CreateInProgress or StackStatus.RollbackInProgress => StackStatus.RollbackFailed,
            StackStatus.DeleteInProgress => StackStatus.DeleteFailed,
            StackStatus.UpdateCompleteCleanupInProgress => StackStatus.UpdateComplete,
            _ => StackStatus.UpdateRollbackFailed,
        };
        return StackEventAsync(operation, failed, reason, cancellationToken);
    }

    private const string InterruptedReason = "LocalAws stopped while the operation was in progress; it was resumed at the next start.";

    /// <summary>Deletes everything the create made, newest first.</summary>
    private async Task RollBackCreateAsync(StackOperation operation, string reason, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        await StackEventAsync(operation, StackStatus.RollbackInProgress, reason, cancellationToken);
        var deleted = await DeleteAllAsync(operation, [.. stack.Resources.AsEnumerable().Reverse()], cancellationToken);
        await StackEventAsync(operation, deleted ? StackStatus.RollbackComplete : StackStatus.RollbackFailed, null, cancellationToken);
    }

    private async Task DeleteAsync(StackOperation operation, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await StackEventAsync(operation, StackStatus.DeleteInProgress, reason, cancellationToken);
        var resources = InDeletionOrder(operation.Template, operation.Stack.Resources);
        if (await DeleteAllAsync(operation, resources, cancellationToken))
        {
            operation.Stack.DeletionTime = clock.GetUtcNow();
            await StackEventAsync(operation, StackStatus.DeleteComplete, null, cancellationToken);
        }
        else
        {
            var failed = operation.Stack.Resources.Where(r => r.Status == ResourceStatus.DeleteFailed).Select(r => r.LogicalId);
            await StackEventAsync(operation, StackStatus.DeleteFailed, $"The following resource(s) failed to delete: [{string.Join(", ", failed)}]. ", cancellationToken);
        }
    }

    /// <summary>Creates every resource not yet in the stack whose condition holds; the failure's stack reason, or null.</summary>
    private async Task<string?> CreateAllAsync(StackOperation operation, StackScope scope, List<StackResourceRecord>? created, CancellationToken cancellationToken)
    {
        foreach (var logicalId in DependencyGraph.Build(operation.Template).CreationOrder())
        {
            var declaration = operation.Template.Resource(logicalId)!;
            if (declaration.Condition is { } condition && !scope.Condition(condition) || operation.Stack.Resource(logicalId) is not null)
            {
                continue;
            }

            var record = new StackResourceRecord
            {
                LogicalId = logicalId,
                ResourceType = declaration.Type,
                DeletionPolicy = declaration.DeletionPolicy,
                UpdateReplacePolicy = declaration.UpdateReplacePolicy,
            };
            operation.Stack.Resources.Add(record);
            if (!await ProvisionAsync(operation, scope, declaration, record, current: null, cancellationToken))
            {
                return $"The following resource(s) failed to create: [{logicalId}].";
            }

            created?.Add(record);
        }

        return null;
    }

    /// <summary>Creates (or, given <paramref name="current"/>, updates in place) one resource, with its events; false when it failed.</summary>
    private async Task<bool> ProvisionAsync(
        StackOperation operation, StackScope scope, ResourceDeclaration declaration, StackResourceRecord record, ProvisionedResource? current, CancellationToken cancellationToken)
    {
        var (inProgress, complete, failed) = current is null
            ? (ResourceStatus.CreateInProgress, ResourceStatus.CreateComplete, ResourceStatus.CreateFailed)
            : (ResourceStatus.UpdateInProgress, ResourceStatus.UpdateComplete, ResourceStatus.UpdateFailed);
        await ResourceEventAsync(operation, record, inProgress, null, cancellationToken);
        try
        {
            var provider = _providers[declaration.Type];
            var properties = provider.Schema.Validate(declaration.LogicalId, scope.Evaluate(declaration.Properties) as JsonObject ?? []);
            var request = operation.Request(declaration.LogicalId, properties);
            var made = current is null
                ? await provider.CreateAsync(request, cancellationToken)
                : await provider.UpdateAsync(request, current, cancellationToken);
            (record.PhysicalId, record.Attributes, record.Properties) = (made.PhysicalId, new(made.Attributes), properties);
            if (current is null)
            {
                await ResourceEventAsync(operation, record, inProgress, "Resource creation Initiated", cancellationToken);
            }

            await ResourceEventAsync(operation, record, complete, null, cancellationToken);
            return true;
        }
        catch (Exception ex) when (Reason(ex) is { } reason)
        {
            await ResourceEventAsync(operation, record, failed, reason, cancellationToken);
            return false;
        }
    }

    /// <summary>Deletes the resources in the order given, honouring <c>DeletionPolicy</c>; false when any failed.</summary>
    private async Task<bool> DeleteAllAsync(StackOperation operation, IReadOnlyList<StackResourceRecord> resources, CancellationToken cancellationToken)
    {
        var allDeleted = true;
        foreach (var record in resources)
        {
            if (record.Status is ResourceStatus.DeleteComplete or ResourceStatus.DeleteSkipped)
            {
                continue;
            }

            if (Retained(record.DeletionPolicy, operation.Stack.Status))
            {
                await ResourceEventAsync(operation, record, ResourceStatus.DeleteSkipped, null, cancellationToken);
                continue;
            }

            allDeleted &= await DeleteOneAsync(operation, record, cancellationToken);
        }

        return allDeleted;
    }

    /// <summary>Whether a deletion under <paramref name="policy"/> keeps the resource; <c>RetainExceptOnCreate</c> deletes what a rollback undoes.</summary>
    private static bool Retained(string policy, string stackStatus) => policy switch
    {
        "Retain" => true,
        "RetainExceptOnCreate" => stackStatus is not (StackStatus.RollbackInProgress or StackStatus.UpdateRollbackCompleteCleanupInProgress),
        _ => false,
    };

    /// <summary>Resources in the reverse of the template's creation order; any the template no longer names first.</summary>
    private static List<StackResourceRecord> InDeletionOrder(Template template, IEnumerable<StackResourceRecord> resources)
    {
        var order = DependencyGraph.Build(template).DeletionOrder().Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        return [.. resources.OrderBy(r => order.GetValueOrDefault(r.LogicalId, -1))];
    }

    private async Task<bool> DeleteOneAsync(StackOperation operation, StackResourceRecord record, CancellationToken cancellationToken)
    {
        await ResourceEventAsync(operation, record, ResourceStatus.DeleteInProgress, null, cancellationToken);
        try
        {
            // A resource whose create failed before it had a physical id has nothing to delete.
            if (record.PhysicalId is not null)
            {
                await _providers[record.ResourceType].DeleteAsync(operation.Request(record.LogicalId, record.Properties), record.Provisioned, cancellationToken);
            }

            await ResourceEventAsync(operation, record, ResourceStatus.DeleteComplete, null, cancellationToken);
            return true;
        }
        catch (Exception ex) when (Reason(ex) is { } reason)
        {
            await ResourceEventAsync(operation, record, ResourceStatus.DeleteFailed, reason, cancellationToken);
            return false;
        }
    }

    /// <summary>Resolves the outputs into the stack; the failure's stack reason, or null.</summary>
    private static string? ResolveOutputs(StackOperation operation, StackScope scope)
    {
        try
        {
            var outputs = new List<StackOutput>();
            foreach (var output in operation.Template.Outputs)
            {
                if (output.Condition is { } condition && !scope.Condition(condition))
                {
                    continue;
                }

                var value = scope.Evaluate(output.Value);
                outputs.Add(new StackOutput(
                    output.LogicalId,
                    value is JsonArray list ? string.Join(',', list.Select(Intrinsics.Text)) : Intrinsics.Text(value) ?? value?.ToJsonString() ?? string.Empty,
                    output.Description,
                    output.ExportName is null ? null : Intrinsics.Text(scope.Evaluate(output.ExportName))));
            }

            // An export name is the account's: another stack may not have it, and one another stack imports may not go.
            var exported = outputs.Select(o => o.ExportName).OfType<string>().ToList();
            if (exported.Select(operation.Exports.Find).FirstOrDefault(e => e is not null && e.StackId != operation.Stack.StackId) is { } taken)
            {
                return $"Export with name {exported.First(n => operation.Exports.Find(n) == taken)} is already exported by stack {taken.StackName}";
            }

            foreach (var gone in operation.Stack.Outputs.Select(o => o.ExportName).OfType<string>().Except(exported))
            {
                if (operation.Exports.ImporterOf(gone, operation.Stack.StackId) is { } importer)
                {
                    return $"Cannot delete export {gone} as it is in use by {importer}.";
                }
            }

            operation.Stack.Outputs = outputs;
            return null;
        }
        catch (TemplateException ex)
        {
            return ex.Message;
        }
    }

    private StackScope Scope(StackOperation operation) =>
        new(operation.Template, operation.Pseudo, operation.Parameters, new LiveResources(operation.Stack, _providers), operation.ImportValue);

    /// <summary>What a failure is reported as: CloudFormation's wording for a template error, the handler's message for a service error.</summary>
    private string? Reason(Exception exception)
    {
        switch (exception)
        {
            case OperationCanceledException:
                return null;
            case TemplateException template:
                return template.Message;
            case AwsServiceException service:
                return $"Resource handler returned message: \"{service.Error.Message}\" (HandlerErrorCode: {HandlerErrorCode(service.Error.Code)})";
            default:
                LogProviderFailure(exception);
                return "Internal Failure";
        }
    }

    private static string HandlerErrorCode(string code) => code switch
    {
        _ when code.Contains("AlreadyExists", StringComparison.Ordinal) || code.Contains("AlreadyOwned", StringComparison.Ordinal) => "AlreadyExists",
        _ when code.Contains("NotFound", StringComparison.Ordinal) || code.StartsWith("NoSuch", StringComparison.Ordinal) => "NotFound",
        _ when code.Contains("AccessDenied", StringComparison.Ordinal) => "AccessDenied",
        _ when code.Contains("Throttl", StringComparison.Ordinal) => "Throttling",
        _ => "InvalidRequest",
    };

    private Task StackEventAsync(StackOperation operation, string status, string? reason, CancellationToken cancellationToken)
    {
        (operation.Stack.Status, operation.Stack.StatusReason) = (status, reason);
        return ResourceEventAsync(operation, null, status, reason, cancellationToken);
    }

    /// <summary>Records an event (a stack's when <paramref name="record"/> is null) and saves the stack.</summary>
    private Task ResourceEventAsync(StackOperation operation, StackResourceRecord? record, string status, string? reason, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        var now = clock.GetUtcNow();
        if (record is not null)
        {
            (record.Status, record.StatusReason, record.LastUpdated) = (status, reason, now);
        }

        stack.Events.Add(new StackEvent(
            Guid.NewGuid().ToString(),
            record?.LogicalId ?? stack.StackName,
            record is null ? stack.StackId : record.PhysicalId,
            record?.ResourceType ?? "AWS::CloudFormation::Stack",
            status,
            reason,
            now));
        return operation.SaveAsync(stack, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A CloudFormation resource handler failed unexpectedly")]
    private partial void LogProviderFailure(Exception exception);

    /// <summary><c>Ref</c> and <c>Fn::GetAtt</c> over the stack's resources as they are now.</summary>
    private sealed class LiveResources(StackRecord stack, Dictionary<string, IResourceProvider> providers) : IResourceValues
    {
        public JsonNode? Ref(string logicalId) => stack.Resource(logicalId) is { PhysicalId: { } id } ? JsonValue.Create(id) : null;

        public JsonNode GetAtt(string logicalId, string attribute)
        {
            var record = stack.Resource(logicalId) ?? throw TemplateException.Format($"Unresolved resource dependencies [{logicalId}] in the Resources block of the template");
            return providers[record.ResourceType].Attributes.Contains(attribute) && record.Attributes.TryGetValue(attribute, out var value) && value is not null
                ? value
                : throw TemplateException.Error($"resource {logicalId} does not support attribute type {attribute} in Fn::GetAtt");
        }
    }
}
