using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>A stack as CloudFormation keeps it: its template and parameters, its resources, its events and outputs.</summary>
public sealed class StackRecord
{
    public required string StackName { get; init; }

    public required string StackId { get; init; }

    public string Status { get; set; } = StackStatus.ReviewInProgress;

    public string? StatusReason { get; set; }

    public string? Description { get; set; }

    public string TemplateBody { get; set; } = string.Empty;

    /// <summary>The parameters' values as given or defaulted (an SSM type's is the parameter's name).</summary>
    public Dictionary<string, string> Parameters { get; set; } = [];

    /// <summary>An SSM parameter type's value, by parameter name, as it was resolved for the last operation.</summary>
    public Dictionary<string, string> ResolvedParameters { get; set; } = [];

    /// <summary>The names of the parameters whose values are <c>NoEcho</c>.</summary>
    public HashSet<string> NoEchoParameters { get; set; } = [];

    public List<StackResourceRecord> Resources { get; set; } = [];

    public List<StackEvent> Events { get; set; } = [];

    public List<StackOutput> Outputs { get; set; } = [];

    /// <summary>The export names the stack imports (<c>Fn::ImportValue</c>).</summary>
    public HashSet<string> Imports { get; set; } = [];

    /// <summary>The stack's change sets not yet executed or deleted (and the last one executed).</summary>
    public List<ChangeSetRecord> ChangeSets { get; set; } = [];

    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>The capabilities the caller acknowledged.</summary>
    public List<string> Capabilities { get; set; } = [];

    /// <summary>The role the stack's operations run as (<c>RoleARN</c>), if any.</summary>
    public string? RoleArn { get; set; }

    /// <summary>The user or role whose permissions the stack's operations run with, so that one cut short can be finished.</summary>
    public string? OperatorArn { get; set; }

    public bool DisableRollback { get; set; }

    /// <summary>The stack as it was before the update under way: what a rollback, also one resumed after a restart, restores.</summary>
    public StackCheckpoint? BeforeUpdate { get; set; }

    /// <summary>Resources an update's cleanup (or its rollback's) still has to delete; no longer part of the stack.</summary>
    public List<StackResourceRecord> PendingDeletions { get; set; } = [];

    public DateTimeOffset CreationTime { get; set; }

    public DateTimeOffset? LastUpdatedTime { get; set; }

    public DateTimeOffset? DeletionTime { get; set; }

    public StackResourceRecord? Resource(string logicalId) => Resources.Find(r => r.LogicalId == logicalId);
}

/// <summary>What an update changes, as it was before it began.</summary>
public sealed class StackCheckpoint
{
    public required string TemplateBody { get; init; }

    public string? Description { get; init; }

    public required Dictionary<string, string> Parameters { get; init; }

    public required Dictionary<string, string> ResolvedParameters { get; init; }

    public required HashSet<string> NoEchoParameters { get; init; }

    public required List<StackOutput> Outputs { get; init; }

    public required List<StackResourceRecord> Resources { get; init; }

    public static StackCheckpoint Of(StackRecord stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new()
        {
            TemplateBody = stack.TemplateBody,
            Description = stack.Description,
            Parameters = stack.Parameters,
            ResolvedParameters = stack.ResolvedParameters,
            NoEchoParameters = stack.NoEchoParameters,
            Outputs = stack.Outputs,
            Resources = [.. stack.Resources.Select(r => r.Copy())],
        };
    }

    /// <summary>Puts the stack's template, parameters and outputs back as they were.</summary>
    public void Restore(StackRecord stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        (stack.TemplateBody, stack.Description, stack.Parameters, stack.ResolvedParameters, stack.NoEchoParameters, stack.Outputs) =
            (TemplateBody, Description, Parameters, ResolvedParameters, NoEchoParameters, Outputs);
    }
}

/// <summary>One resource of a stack.</summary>
public sealed class StackResourceRecord
{
    public required string LogicalId { get; init; }

    public required string ResourceType { get; set; }

    public string? PhysicalId { get; set; }

    public string Status { get; set; } = ResourceStatus.CreateInProgress;

    public string? StatusReason { get; set; }

    /// <summary>The properties it was made with, resolved and validated.</summary>
    public JsonObject Properties { get; set; } = [];

    public Dictionary<string, JsonNode?> Attributes { get; set; } = [];

    public string DeletionPolicy { get; set; } = "Delete";

    public string UpdateReplacePolicy { get; set; } = "Delete";

    public DateTimeOffset LastUpdated { get; set; }

    [JsonIgnore]
    public ProvisionedResource Provisioned => new(PhysicalId ?? string.Empty, Attributes) { Properties = Properties };

    public StackResourceRecord Copy() => new()
    {
        LogicalId = LogicalId,
        ResourceType = ResourceType,
        PhysicalId = PhysicalId,
        Status = Status,
        StatusReason = StatusReason,
        Properties = (JsonObject)Properties.DeepClone(),
        Attributes = Attributes.ToDictionary(a => a.Key, a => a.Value?.DeepClone(), StringComparer.Ordinal),
        DeletionPolicy = DeletionPolicy,
        UpdateReplacePolicy = UpdateReplacePolicy,
        LastUpdated = LastUpdated,
    };
}

/// <summary>One line of a stack's history, as DescribeStackEvents lists it.</summary>
public sealed record StackEvent(
    string EventId, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string ResourceStatus, string? ResourceStatusReason, DateTimeOffset Timestamp);

/// <summary>A resolved output.</summary>
public sealed record StackOutput(string OutputKey, string OutputValue, string? Description, string? ExportName);

/// <summary>CloudFormation's stack statuses.</summary>
public static class StackStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateFailed = "CREATE_FAILED";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string RollbackInProgress = "ROLLBACK_IN_PROGRESS";
    public const string RollbackFailed = "ROLLBACK_FAILED";
    public const string RollbackComplete = "ROLLBACK_COMPLETE";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateCompleteCleanupInProgress = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string UpdateRollbackInProgress = "UPDATE_ROLLBACK_IN_PROGRESS";
    public const string UpdateRollbackFailed = "UPDATE_ROLLBACK_FAILED";
    public const string UpdateRollbackCompleteCleanupInProgress = "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS";
    public const string UpdateRollbackComplete = "UPDATE_ROLLBACK_COMPLETE";
    public const string ReviewInProgress = "REVIEW_IN_PROGRESS";

    /// <summary>Whether an operation is under way (another one is refused).</summary>
    public static bool InProgress(string status) => status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal) && status != ReviewInProgress;
}

/// <summary>CloudFormation's resource statuses.</summary>
public static class ResourceStatus
{
    public const string CreateInProgress = "CREATE_IN_PROGRESS";
    public const string CreateFailed = "CREATE_FAILED";
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string UpdateInProgress = "UPDATE_IN_PROGRESS";
    public const string UpdateFailed = "UPDATE_FAILED";
    public const string UpdateComplete = "UPDATE_COMPLETE";
    public const string DeleteInProgress = "DELETE_IN_PROGRESS";
    public const string DeleteFailed = "DELETE_FAILED";
    public const string DeleteComplete = "DELETE_COMPLETE";
    public const string DeleteSkipped = "DELETE_SKIPPED";
}
