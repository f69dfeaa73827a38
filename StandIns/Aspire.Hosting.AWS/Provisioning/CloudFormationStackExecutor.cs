using System.Globalization;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Aspire.Hosting.AWS.Provisioning;
using Microsoft.Extensions.Logging;

namespace Tap.Aws.Hosting.Provisioning;

/// <summary>What provisioning left: the stack, and whether CloudFormation changed it.</summary>
internal sealed record StackProvisioningResult(Stack Stack, bool Changed);

/// <summary>
/// Creates or updates a stack through a change set, as the official AppHost provisioner does: a stack whose
/// template hash tag matches is left alone; a stack whose first creation rolled back is deleted and created again;
/// a stack mid-operation is waited for. Each new stack event is logged, and the stack's status reported, as
/// CloudFormation works; a stack that ends failed or rolled back fails provisioning with the first failure's reason.
/// </summary>
internal sealed partial class CloudFormationStackExecutor(
    IAmazonCloudFormation client, StackDeployment deployment, ILogger logger, Func<Stack, Task> reportStatus, TimeProvider clock)
{
    private const string InProgressSuffix = "IN_PROGRESS";

    /// <summary>How CloudFormation says a change set changes nothing (it has no error code for it).</summary>
    private const string NoChangesReason = "The submitted information didn't contain changes";

    public async Task<StackProvisioningResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        var existing = await SettledStackAsync(cancellationToken).ConfigureAwait(false);
        var hash = deployment.TemplateHash;
        if (existing is not null && !deployment.DisableDiffCheck && existing.Tags?.FirstOrDefault(t => t.Key == StackDeployment.TemplateHashTag)?.Value == hash)
        {
            LogUnchanged(logger, deployment.StackName);
            return new(existing, Changed: false);
        }

        var type = existing is null ? ChangeSetType.CREATE : ChangeSetType.UPDATE;
        var changeSetId = await CreateChangeSetAsync(type, hash, cancellationToken).ConfigureAwait(false);
        if (changeSetId is null)
        {
            return new(existing!, Changed: false);
        }

        var started = clock.GetUtcNow().UtcDateTime;
        try
        {
            await client.ExecuteChangeSetAsync(new ExecuteChangeSetRequest { ChangeSetName = changeSetId, StackName = deployment.StackName }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonCloudFormationException ex)
        {
            throw new AWSProvisioningException($"Error executing CloudFormation change set: {ex.Message}", ex);
        }

        LogExecuting(logger, type == ChangeSetType.CREATE ? "creation" : "update", deployment.StackName);
        var (stack, failure) = await FollowAsync(started, cancellationToken).ConfigureAwait(false);
        var status = stack.StackStatus?.Value ?? string.Empty;
        if (status.EndsWith("FAILED", StringComparison.Ordinal) || status.EndsWith("ROLLBACK_COMPLETE", StringComparison.Ordinal))
        {
            var reason = failure is null ? stack.StackStatusReason : $"{failure.LogicalResourceId}: {failure.ResourceStatusReason}";
            throw new AWSProvisioningException($"CloudFormation stack {deployment.StackName} is {status}: {reason ?? "no reason given"}");
        }

        return new(stack, Changed: true);
    }

    /// <summary>
    /// The stack as it can be changed: absent (never created, deleted, or only reviewed), or settled. A stack whose
    /// creation rolled back holds nothing and cannot be updated, so it is deleted; one mid-operation is waited for.
    /// </summary>
    private async Task<Stack?> SettledStackAsync(CancellationToken cancellationToken)
    {
        var stack = await FindStackAsync(cancellationToken).ConfigureAwait(false);
        if (stack?.StackStatus?.Value.EndsWith(InProgressSuffix, StringComparison.Ordinal) == true && stack.StackStatus != StackStatus.REVIEW_IN_PROGRESS)
        {
            LogWaiting(logger, deployment.StackName, stack.StackStatus.Value);
            stack = await WaitWhileInProgressAsync(cancellationToken).ConfigureAwait(false);
        }

        if (stack?.StackStatus == StackStatus.ROLLBACK_COMPLETE)
        {
            LogDeletingFailed(logger, deployment.StackName);
            await client.DeleteStackAsync(new DeleteStackRequest { StackName = stack.StackId }, cancellationToken).ConfigureAwait(false);
            stack = await WaitWhileInProgressAsync(cancellationToken).ConfigureAwait(false);
        }

        if (stack is null || stack.StackStatus == StackStatus.REVIEW_IN_PROGRESS || stack.StackStatus == StackStatus.DELETE_COMPLETE)
        {
            return null;
        }

        return stack.StackStatus == StackStatus.CREATE_COMPLETE || stack.StackStatus == StackStatus.UPDATE_COMPLETE || stack.StackStatus == StackStatus.UPDATE_ROLLBACK_COMPLETE
            ? stack
            : throw new AWSProvisioningException($"The stack's current state of {stack.StackStatus} is invalid for updating");
    }

    /// <summary>The change set's id once CloudFormation has worked it out; <see langword="null"/> when it changes nothing.</summary>
    private async Task<string?> CreateChangeSetAsync(ChangeSetType type, string hash, CancellationToken cancellationToken)
    {
        var tags = deployment.Tags.Where(t => t.Key != StackDeployment.TemplateHashTag).Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList();
        tags.Add(new Tag { Key = StackDeployment.TemplateHashTag, Value = hash });
        string changeSetId;
        try
        {
            LogCreatingChangeSet(logger, deployment.StackName);
            var created = await client.CreateChangeSetAsync(new CreateChangeSetRequest
            {
                StackName = deployment.StackName,
                ChangeSetName = "Aspire-AppHost-" + clock.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture),
                ChangeSetType = type,
                TemplateBody = deployment.Template,
                Parameters = [.. deployment.Parameters.Select(p => new Parameter { ParameterKey = p.Key, ParameterValue = p.Value })],
                Capabilities = deployment.Capabilities,
                RoleARN = deployment.RoleArn,
                Tags = tags,
            }, cancellationToken).ConfigureAwait(false);
            changeSetId = created.Id ?? throw new AWSProvisioningException("CloudFormation created a change set without an id.");
        }
        catch (AmazonCloudFormationException ex)
        {
            throw new AWSProvisioningException($"Error creating change set: {ex.Message}", ex);
        }

        while (true)
        {
            var changeSet = await client.DescribeChangeSetAsync(new DescribeChangeSetRequest { ChangeSetName = changeSetId }, cancellationToken).ConfigureAwait(false);
            if (changeSet.Status == ChangeSetStatus.FAILED)
            {
                if (changeSet.StatusReason?.Contains(NoChangesReason, StringComparison.OrdinalIgnoreCase) == true)
                {
                    LogNoChanges(logger, deployment.StackName);
                    return null;
                }

                throw new AWSProvisioningException($"Failed to create CloudFormation change set: {changeSet.StatusReason}");
            }

            if (changeSet.Status != ChangeSetStatus.CREATE_PENDING && changeSet.Status != ChangeSetStatus.CREATE_IN_PROGRESS)
            {
                return changeSetId;
            }

            await Task.Delay(deployment.PollingInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Polls the stack until it settles, logging each event since <paramref name="since"/>; also returns the first failed resource's event.</summary>
    private async Task<(Stack Stack, StackEvent? Failure)> FollowAsync(DateTime since, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        StackEvent? failure = null;
        while (true)
        {
            var stack = await FindStackAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new AWSProvisioningException($"CloudFormation stack {deployment.StackName} disappeared while it was being provisioned.");
            await reportStatus(stack).ConfigureAwait(false);
            foreach (var stackEvent in await NewEventsAsync(since, seen, cancellationToken).ConfigureAwait(false))
            {
                LogEvent(logger, stackEvent.Timestamp ?? since, stackEvent.LogicalResourceId, stackEvent.ResourceType, stackEvent.ResourceStatus?.Value, stackEvent.ResourceStatusReason ?? string.Empty);
                if (failure is null && stackEvent.ResourceStatus?.Value.EndsWith("_FAILED", StringComparison.Ordinal) == true && stackEvent.ResourceStatusReason is { Length: > 0 })
                {
                    failure = stackEvent;
                }
            }

            if (stack.StackStatus?.Value.EndsWith(InProgressSuffix, StringComparison.Ordinal) != true)
            {
                return (stack, failure);
            }

            await Task.Delay(deployment.PollingInterval, clock, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Events not logged yet, oldest first (CloudFormation lists them newest first).</summary>
    private async Task<List<StackEvent>> NewEventsAsync(DateTime since, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var fresh = new List<StackEvent>();
        string? token = null;
        do
        {
            var page = await client.DescribeStackEventsAsync(new DescribeStackEventsRequest { StackName = deployment.StackName, NextToken = token }, cancellationToken).ConfigureAwait(false);
            var events = page.StackEvents ?? [];
            var older = false;
            foreach (var stackEvent in events)
            {
                if (stackEvent.Timestamp < since.AddSeconds(-1) || (stackEvent.EventId is { } id && seen.Contains(id)))
                {
                    older = true;
                    break;
                }

                fresh.Add(stackEvent);
            }

            token = older ? null : page.NextToken;
        }
        while (token is not null);

        fresh.Reverse();
        seen.UnionWith(fresh.Select(e => e.EventId ?? string.Empty));
        return fresh;
    }

    private async Task<Stack?> WaitWhileInProgressAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(deployment.PollingInterval, clock, cancellationToken).ConfigureAwait(false);
            var stack = await FindStackAsync(cancellationToken).ConfigureAwait(false);
            if (stack?.StackStatus?.Value.EndsWith(InProgressSuffix, StringComparison.Ordinal) != true)
            {
                return stack;
            }
        }
    }

    private async Task<Stack?> FindStackAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = deployment.StackName }, cancellationToken).ConfigureAwait(false);
            return response.Stacks?.FirstOrDefault();
        }
        catch (AmazonCloudFormationException ex) when (ex.ErrorCode == "ValidationError" && ex.Message.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "CloudFormation stack {StackName}: the template, parameters and tags are unchanged, so it is not updated")]
    private static partial void LogUnchanged(ILogger logger, string stackName);

    [LoggerMessage(Level = LogLevel.Information, Message = "CloudFormation stack {StackName}: creating a change set")]
    private static partial void LogCreatingChangeSet(ILogger logger, string stackName);

    [LoggerMessage(Level = LogLevel.Information, Message = "CloudFormation stack {StackName}: the change set changes nothing")]
    private static partial void LogNoChanges(ILogger logger, string stackName);

    [LoggerMessage(Level = LogLevel.Information, Message = "Initiated CloudFormation stack {Operation} of {StackName}")]
    private static partial void LogExecuting(ILogger logger, string operation, string stackName);

    [LoggerMessage(Level = LogLevel.Information, Message = "CloudFormation stack {StackName} is {Status}: waiting for it to settle")]
    private static partial void LogWaiting(ILogger logger, string stackName, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CloudFormation stack {StackName}: its creation rolled back, so it is deleted and created again")]
    private static partial void LogDeletingFailed(ILogger logger, string stackName);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Timestamp:u} {LogicalResourceId} {ResourceType} {ResourceStatus} {Reason}")]
    private static partial void LogEvent(ILogger logger, DateTime timestamp, string? logicalResourceId, string? resourceType, string? resourceStatus, string reason);
}
