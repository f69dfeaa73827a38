using Amazon.Runtime;

// The official SDK names its constants as CloudFormation spells the values.
#pragma warning disable CA1707, CA1720

namespace Amazon.CloudFormation;

/// <summary>A stack's status, e.g. <c>CREATE_COMPLETE</c> or <c>UPDATE_ROLLBACK_COMPLETE</c>.</summary>
public sealed class StackStatus(string value) : ConstantClass(value)
{
    public static readonly StackStatus CREATE_COMPLETE = new("CREATE_COMPLETE");
    public static readonly StackStatus CREATE_FAILED = new("CREATE_FAILED");
    public static readonly StackStatus CREATE_IN_PROGRESS = new("CREATE_IN_PROGRESS");
    public static readonly StackStatus DELETE_COMPLETE = new("DELETE_COMPLETE");
    public static readonly StackStatus DELETE_FAILED = new("DELETE_FAILED");
    public static readonly StackStatus DELETE_IN_PROGRESS = new("DELETE_IN_PROGRESS");
    public static readonly StackStatus REVIEW_IN_PROGRESS = new("REVIEW_IN_PROGRESS");
    public static readonly StackStatus ROLLBACK_COMPLETE = new("ROLLBACK_COMPLETE");
    public static readonly StackStatus ROLLBACK_FAILED = new("ROLLBACK_FAILED");
    public static readonly StackStatus ROLLBACK_IN_PROGRESS = new("ROLLBACK_IN_PROGRESS");
    public static readonly StackStatus UPDATE_COMPLETE = new("UPDATE_COMPLETE");
    public static readonly StackStatus UPDATE_COMPLETE_CLEANUP_IN_PROGRESS = new("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS");
    public static readonly StackStatus UPDATE_FAILED = new("UPDATE_FAILED");
    public static readonly StackStatus UPDATE_IN_PROGRESS = new("UPDATE_IN_PROGRESS");
    public static readonly StackStatus UPDATE_ROLLBACK_COMPLETE = new("UPDATE_ROLLBACK_COMPLETE");
    public static readonly StackStatus UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS = new("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS");
    public static readonly StackStatus UPDATE_ROLLBACK_FAILED = new("UPDATE_ROLLBACK_FAILED");
    public static readonly StackStatus UPDATE_ROLLBACK_IN_PROGRESS = new("UPDATE_ROLLBACK_IN_PROGRESS");

    public static StackStatus FindValue(string value) => FindValue<StackStatus>(value);

    public static implicit operator StackStatus(string value) => FindValue(value);
}

/// <summary>A resource's status in an event or a stack's resource list, e.g. <c>CREATE_COMPLETE</c>.</summary>
public sealed class ResourceStatus(string value) : ConstantClass(value)
{
    public static readonly ResourceStatus CREATE_COMPLETE = new("CREATE_COMPLETE");
    public static readonly ResourceStatus CREATE_FAILED = new("CREATE_FAILED");
    public static readonly ResourceStatus CREATE_IN_PROGRESS = new("CREATE_IN_PROGRESS");
    public static readonly ResourceStatus DELETE_COMPLETE = new("DELETE_COMPLETE");
    public static readonly ResourceStatus DELETE_FAILED = new("DELETE_FAILED");
    public static readonly ResourceStatus DELETE_IN_PROGRESS = new("DELETE_IN_PROGRESS");
    public static readonly ResourceStatus DELETE_SKIPPED = new("DELETE_SKIPPED");
    public static readonly ResourceStatus UPDATE_COMPLETE = new("UPDATE_COMPLETE");
    public static readonly ResourceStatus UPDATE_FAILED = new("UPDATE_FAILED");
    public static readonly ResourceStatus UPDATE_IN_PROGRESS = new("UPDATE_IN_PROGRESS");

    public static ResourceStatus FindValue(string value) => FindValue<ResourceStatus>(value);

    public static implicit operator ResourceStatus(string value) => FindValue(value);
}

/// <summary>Whether a change set creates a stack or updates one (<c>IMPORT</c> is not served).</summary>
public sealed class ChangeSetType(string value) : ConstantClass(value)
{
    public static readonly ChangeSetType CREATE = new("CREATE");
    public static readonly ChangeSetType IMPORT = new("IMPORT");
    public static readonly ChangeSetType UPDATE = new("UPDATE");

    public static ChangeSetType FindValue(string value) => FindValue<ChangeSetType>(value);

    public static implicit operator ChangeSetType(string value) => FindValue(value);
}

/// <summary>A change set's own status: whether it has been worked out.</summary>
public sealed class ChangeSetStatus(string value) : ConstantClass(value)
{
    public static readonly ChangeSetStatus CREATE_COMPLETE = new("CREATE_COMPLETE");
    public static readonly ChangeSetStatus CREATE_IN_PROGRESS = new("CREATE_IN_PROGRESS");
    public static readonly ChangeSetStatus CREATE_PENDING = new("CREATE_PENDING");
    public static readonly ChangeSetStatus DELETE_COMPLETE = new("DELETE_COMPLETE");
    public static readonly ChangeSetStatus DELETE_FAILED = new("DELETE_FAILED");
    public static readonly ChangeSetStatus DELETE_IN_PROGRESS = new("DELETE_IN_PROGRESS");
    public static readonly ChangeSetStatus DELETE_PENDING = new("DELETE_PENDING");
    public static readonly ChangeSetStatus FAILED = new("FAILED");

    public static ChangeSetStatus FindValue(string value) => FindValue<ChangeSetStatus>(value);

    public static implicit operator ChangeSetStatus(string value) => FindValue(value);
}

/// <summary>Whether a change set can be executed, is being, or has been.</summary>
public sealed class ExecutionStatus(string value) : ConstantClass(value)
{
    public static readonly ExecutionStatus AVAILABLE = new("AVAILABLE");
    public static readonly ExecutionStatus EXECUTE_COMPLETE = new("EXECUTE_COMPLETE");
    public static readonly ExecutionStatus EXECUTE_FAILED = new("EXECUTE_FAILED");
    public static readonly ExecutionStatus EXECUTE_IN_PROGRESS = new("EXECUTE_IN_PROGRESS");
    public static readonly ExecutionStatus OBSOLETE = new("OBSOLETE");
    public static readonly ExecutionStatus UNAVAILABLE = new("UNAVAILABLE");

    public static ExecutionStatus FindValue(string value) => FindValue<ExecutionStatus>(value);

    public static implicit operator ExecutionStatus(string value) => FindValue(value);
}

/// <summary>What a change set does to one resource.</summary>
public sealed class ChangeAction(string value) : ConstantClass(value)
{
    public static readonly ChangeAction Add = new("Add");
    public static readonly ChangeAction Dynamic = new("Dynamic");
    public static readonly ChangeAction Import = new("Import");
    public static readonly ChangeAction Modify = new("Modify");
    public static readonly ChangeAction Remove = new("Remove");

    public static ChangeAction FindValue(string value) => FindValue<ChangeAction>(value);

    public static implicit operator ChangeAction(string value) => FindValue(value);
}
