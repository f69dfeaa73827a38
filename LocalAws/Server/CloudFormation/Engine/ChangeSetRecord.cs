namespace Tap.LocalAws.CloudFormation.Engine;

/// <summary>
/// A change set as CloudFormation keeps it with its stack: the template and parameters it would apply, the changes
/// it would make to the stack's resources, and whether it can still be executed.
/// </summary>
public sealed class ChangeSetRecord
{
    public required string ChangeSetName { get; init; }

    public required string ChangeSetId { get; init; }

    /// <summary><c>CREATE</c> (the stack is new, in <c>REVIEW_IN_PROGRESS</c>) or <c>UPDATE</c>.</summary>
    public required string ChangeSetType { get; init; }

    public string? Description { get; init; }

    public required string TemplateBody { get; init; }

    /// <summary>The parameters' values as given or defaulted, as a stack keeps them.</summary>
    public Dictionary<string, string> Parameters { get; init; } = [];

    public Dictionary<string, string> ResolvedParameters { get; init; } = [];

    public HashSet<string> NoEchoParameters { get; init; } = [];

    public List<string> Capabilities { get; init; } = [];

    public string? RoleArn { get; init; }

    public Dictionary<string, string> Tags { get; init; } = [];

    /// <summary>From <c>OnStackFailure=DO_NOTHING</c> (a CREATE change set's stack keeps what it made when it fails).</summary>
    public bool DisableRollback { get; init; }

    public string Status { get; set; } = ChangeSetStatus.CreateComplete;

    public string? StatusReason { get; set; }

    public string ExecutionStatus { get; set; } = ChangeSetStatus.Available;

    public DateTimeOffset CreationTime { get; init; }

    public List<ResourceChange> Changes { get; init; } = [];
}

/// <summary>One change a change set would make: <c>Add</c>, <c>Modify</c> (with whether it replaces) or <c>Remove</c>.</summary>
/// <param name="Replacement"><c>True</c>, <c>False</c> or <c>Conditional</c> for a <c>Modify</c>; null otherwise.</param>
/// <param name="Scope">What changes: <c>Properties</c>, <c>Tags</c>.</param>
public sealed record ResourceChange(
    string Action, string LogicalResourceId, string? PhysicalResourceId, string ResourceType, string? Replacement, IReadOnlyList<string> Scope, IReadOnlyList<ResourceChangeDetail> Details);

/// <summary>One property a <c>Modify</c> changes, as DescribeChangeSet details it.</summary>
/// <param name="RequiresRecreation"><c>Never</c>, <c>Conditionally</c> or <c>Always</c>.</param>
/// <param name="Evaluation"><c>Static</c> (known now) or <c>Dynamic</c> (known only once another resource changed).</param>
/// <param name="ChangeSource"><c>DirectModification</c>, or <c>ResourceReference</c>/<c>ResourceAttribute</c> when it follows another resource.</param>
public sealed record ResourceChangeDetail(string Attribute, string Name, string RequiresRecreation, string Evaluation, string ChangeSource);

/// <summary>A change set's statuses and execution statuses.</summary>
public static class ChangeSetStatus
{
    public const string CreateComplete = "CREATE_COMPLETE";
    public const string Failed = "FAILED";
    public const string Available = "AVAILABLE";
    public const string Unavailable = "UNAVAILABLE";
    public const string ExecuteInProgress = "EXECUTE_IN_PROGRESS";
    public const string ExecuteComplete = "EXECUTE_COMPLETE";
    public const string ExecuteFailed = "EXECUTE_FAILED";

    /// <summary>Why a change set that would change nothing failed, in CloudFormation's words (the AWS CLI's deploy looks for them).</summary>
    public const string NoChanges = "The submitted information didn't contain changes. Submit different information to create a change set.";
}
