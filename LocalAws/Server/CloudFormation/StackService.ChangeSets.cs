using System.Text.RegularExpressions;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Storage;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// Change sets: CreateChangeSet checks the template and parameters as an update would and records the changes the
/// update would make (a CREATE change set first makes the stack, in <c>REVIEW_IN_PROGRESS</c>); ExecuteChangeSet runs
/// that create or update as the executing caller or the change set's role; executing one removes the stack's other
/// change sets, as CloudFormation does.
/// </summary>
internal sealed partial class StackService
{
    public async Task<ChangeSetRecord> CreateChangeSetAsync(IReadOnlyDictionary<string, string> parameters, AccessCheck access, CancellationToken cancellationToken)
    {
        var name = StackName(parameters);
        var changeSetName = ChangeSetName(parameters);
        var type = parameters.GetValueOrDefault("ChangeSetType") ?? "UPDATE";
        var current = stacks.Find(name);
        switch (type)
        {
            case "CREATE" when current is { Status: not StackStatus.ReviewInProgress }:
                throw CloudFormationErrors.Validation($"Stack [{name}] already exists and cannot be created again with the changeSet [{changeSetName}].");
            case "UPDATE" when current is null or { Status: StackStatus.ReviewInProgress }:
                throw CloudFormationErrors.Validation($"Stack [{name}] does not exist");
            case "UPDATE":
                CheckUpdatable(current);
                break;
            case not "CREATE":
                throw CloudFormationErrors.Validation($"ChangeSetType {type} is not supported: LocalAws makes CREATE and UPDATE change sets.");
        }

        var stackId = current?.StackId ?? NewStackId(name);
        var prepared = type == "UPDATE"
            ? await PrepareAsync(parameters, access, current, name, stackId, cancellationToken)
            : await PrepareAsync(WithoutPrevious(parameters), access, current: null, name, stackId, cancellationToken);
        var roleArn = parameters.GetValueOrDefault("RoleARN") ?? current?.RoleArn;
        var principal = Principal(roleArn, access);
        lock (_gate)
        {
            var stack = stacks.Find(stackId) is { } stored ? StackStore.Checkout(stored) : new StackRecord
            {
                StackName = name,
                StackId = stackId,
                Status = StackStatus.ReviewInProgress,
                CreationTime = DateTimeOffset.UtcNow,
            };
            if (runner.IsRunning(stackId) || StackStatus.InProgress(stack.Status))
            {
                throw CloudFormationErrors.Validation($"Stack:{stackId} is in {stack.Status} state and can not be updated.");
            }

            if (stack.ChangeSets.Any(c => c.ChangeSetName == changeSetName))
            {
                throw AwsServiceException.Query(400, "AlreadyExistsException", $"ChangeSet [{changeSetName}] already exists");
            }

            var operation = Operation(StackStore.Checkout(stack), prepared.Template, prepared.Body, prepared.Values, principal);
            operation.Adopt();
            var changeSet = new ChangeSetRecord
            {
                ChangeSetName = changeSetName,
                ChangeSetId = $"arn:aws:cloudformation:{settings.Region}:{settings.AccountId}:changeSet/{changeSetName}/{Guid.NewGuid()}",
                ChangeSetType = type,
                Description = parameters.GetValueOrDefault("Description"),
                TemplateBody = prepared.Body,
                Parameters = operation.Stack.Parameters,
                ResolvedParameters = operation.Stack.ResolvedParameters,
                NoEchoParameters = operation.Stack.NoEchoParameters,
                Capabilities = QueryMembers.Strings(parameters, "Capabilities"),
                RoleArn = roleArn,
                Tags = prepared.Tags ?? current?.Tags ?? [],
                DisableRollback = parameters.GetValueOrDefault("OnStackFailure") == "DO_NOTHING",
                CreationTime = DateTimeOffset.UtcNow,
            };
            try
            {
                changeSet.Changes.AddRange(deployer.Plan(operation));
                if (type == "UPDATE" && changeSet.Changes.Count == 0 && Unchanged(current!, prepared))
                {
                    (changeSet.Status, changeSet.StatusReason, changeSet.ExecutionStatus) = (ChangeSetStatus.Failed, ChangeSetStatus.NoChanges, ChangeSetStatus.Unavailable);
                }
            }
            catch (TemplateException ex)
            {
                (changeSet.Status, changeSet.StatusReason, changeSet.ExecutionStatus) = (ChangeSetStatus.Failed, ex.Message, ChangeSetStatus.Unavailable);
            }

            stack.ChangeSets.Add(changeSet);
            stacks.Save(stack);
            return changeSet;
        }
    }

    /// <summary>The change set a request names (by name with its stack, or by ARN), or CloudFormation's error.</summary>
    public (StackRecord Stack, ChangeSetRecord ChangeSet) FindChangeSet(IReadOnlyDictionary<string, string> parameters)
    {
        var name = parameters.GetValueOrDefault("ChangeSetName") ?? string.Empty;
        var candidates = parameters.GetValueOrDefault("StackName") is { Length: > 0 } stackName
            ? stacks.Find(stackName) is { } named ? [named] : []
            : name.StartsWith("arn:", StringComparison.Ordinal) ? stacks.All() : [];
        foreach (var stack in candidates)
        {
            if (stack.ChangeSets.Find(c => c.ChangeSetName == name || c.ChangeSetId == name) is { } changeSet)
            {
                return (stack, changeSet);
            }
        }

        throw name.StartsWith("arn:", StringComparison.Ordinal) || candidates.Count > 0
            ? AwsServiceException.Query(404, "ChangeSetNotFound", $"ChangeSet [{name}] does not exist")
            : CloudFormationErrors.Validation($"Stack [{parameters.GetValueOrDefault("StackName")}] does not exist");
    }

    /// <returns>The stack's id.</returns>
    public string ExecuteChangeSet(IReadOnlyDictionary<string, string> parameters, AccessCheck access)
    {
        var (current, named) = FindChangeSet(parameters);
        if (named.ExecutionStatus != ChangeSetStatus.Available)
        {
            throw AwsServiceException.Query(400, "InvalidChangeSetStatus", $"ChangeSet [{named.ChangeSetId}] cannot be executed in its current status of [{named.Status}]");
        }

        var principal = Principal(named.RoleArn, access);
        lock (_gate)
        {
            var stack = StackStore.Checkout(stacks.Find(current.StackId)!);
            if (runner.IsRunning(stack.StackId) || StackStatus.InProgress(stack.Status))
            {
                throw AwsServiceException.Query(400, "InvalidChangeSetStatus", $"ChangeSet [{named.ChangeSetId}] cannot be executed in its current status of [{named.Status}]");
            }

            // Executing one change set makes the stack's others meaningless: CloudFormation removes them.
            stack.ChangeSets.RemoveAll(c => c.ChangeSetId != named.ChangeSetId);
            var changeSet = stack.ChangeSets[0];
            changeSet.ExecutionStatus = ChangeSetStatus.ExecuteInProgress;
            (stack.RoleArn, stack.Tags, stack.Capabilities) = (changeSet.RoleArn, changeSet.Tags, changeSet.Capabilities);
            var template = Parse(changeSet.TemplateBody);
            var values = ResolveParameters(template, new Dictionary<string, string>(changeSet.Parameters, StringComparer.Ordinal), access);
            var operation = Operation(stack, template, changeSet.TemplateBody, values, principal);
            if (changeSet.ChangeSetType == "CREATE")
            {
                stack.DisableRollback = changeSet.DisableRollback || parameters.GetValueOrDefault("DisableRollback") == "true";
                stack.Status = StackStatus.CreateInProgress;
                stacks.Save(stack);
                runner.Start(stack.StackId, "ExecuteChangeSet", async token =>
                {
                    await deployer.CreateAsync(operation, token);
                    await FinishChangeSetAsync(operation, token);
                });
            }
            else
            {
                stacks.Save(stack);
                runner.Start(stack.StackId, "ExecuteChangeSet", async token =>
                {
                    await deployer.UpdateAsync(operation, token);
                    await FinishChangeSetAsync(operation, token);
                });
            }

            return stack.StackId;
        }
    }

    public void DeleteChangeSet(IReadOnlyDictionary<string, string> parameters)
    {
        var (current, named) = FindChangeSet(parameters);
        lock (_gate)
        {
            if (named.ExecutionStatus == ChangeSetStatus.ExecuteInProgress || runner.IsRunning(current.StackId))
            {
                throw AwsServiceException.Query(400, "InvalidChangeSetStatus", $"Cannot delete ChangeSet in status {named.ExecutionStatus}");
            }

            var stack = StackStore.Checkout(stacks.Find(current.StackId)!);
            stack.ChangeSets.RemoveAll(c => c.ChangeSetId == named.ChangeSetId);
            stacks.Save(stack);
        }
    }

    /// <summary>Marks the executed change set by how its stack operation ended.</summary>
    private static Task FinishChangeSetAsync(StackOperation operation, CancellationToken cancellationToken)
    {
        var stack = operation.Stack;
        foreach (var changeSet in stack.ChangeSets.Where(c => c.ExecutionStatus == ChangeSetStatus.ExecuteInProgress))
        {
            changeSet.ExecutionStatus = stack.Status is StackStatus.CreateComplete or StackStatus.UpdateComplete ? ChangeSetStatus.ExecuteComplete : ChangeSetStatus.ExecuteFailed;
        }

        return operation.SaveAsync(stack, cancellationToken);
    }

    /// <summary>A CREATE change set has no previous template or values to reuse.</summary>
    private static Dictionary<string, string> WithoutPrevious(IReadOnlyDictionary<string, string> parameters) =>
        parameters.Where(p => p.Key != "UsePreviousTemplate").ToDictionary(StringComparer.Ordinal);

    private static string ChangeSetName(IReadOnlyDictionary<string, string> parameters)
    {
        var name = Required(parameters, "ChangeSetName");
        return ChangeSetNamePattern().IsMatch(name)
            ? name
            : throw CloudFormationErrors.Validation($"1 validation error detected: Value '{name}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*");
    }

    [GeneratedRegex("^[a-zA-Z][-a-zA-Z0-9]{0,127}$")]
    private static partial Regex ChangeSetNamePattern();
}
