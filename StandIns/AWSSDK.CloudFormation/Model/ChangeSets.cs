using Amazon.Runtime;

namespace Amazon.CloudFormation.Model;

/// <summary>A change set that creates a stack (<see cref="ChangeSetType.CREATE"/>) or updates one from a template.</summary>
public sealed class CreateChangeSetRequest
{
    public string? StackName { get; set; }

    public string? ChangeSetName { get; set; }

    public ChangeSetType? ChangeSetType { get; set; }

    public string? TemplateBody { get; set; }

    public string? TemplateURL { get; set; }

    public bool? UsePreviousTemplate { get; set; }

    public List<Parameter>? Parameters { get; set; }

    public List<string>? Capabilities { get; set; }

    public List<Tag>? Tags { get; set; }

    public string? RoleARN { get; set; }

    public string? Description { get; set; }
}

public sealed class CreateChangeSetResponse : AmazonWebServiceResponse
{
    /// <summary>The change set's ARN.</summary>
    public string? Id { get; set; }

    public string? StackId { get; set; }
}

/// <summary>A change set by ARN, or by name with its stack.</summary>
public sealed class DescribeChangeSetRequest
{
    public string? ChangeSetName { get; set; }

    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeChangeSetResponse : AmazonWebServiceResponse
{
    public string? ChangeSetId { get; set; }

    public string? ChangeSetName { get; set; }

    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public ChangeSetStatus? Status { get; set; }

    public string? StatusReason { get; set; }

    public ExecutionStatus? ExecutionStatus { get; set; }

    public DateTime? CreationTime { get; set; }

    public List<Change>? Changes { get; set; }

    public List<Parameter>? Parameters { get; set; }

    public List<Tag>? Tags { get; set; }

    public List<string>? Capabilities { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>One change of a change set; CloudFormation's only type of change is a resource's.</summary>
public sealed class Change
{
    public string? Type { get; set; }

    public ResourceChange? ResourceChange { get; set; }
}

/// <summary>What a change set does to one resource.</summary>
public sealed class ResourceChange
{
    public ChangeAction? Action { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    /// <summary><c>True</c>, <c>False</c> or <c>Conditional</c>, for a <see cref="ChangeAction.Modify"/>.</summary>
    public string? Replacement { get; set; }
}

/// <summary>Executes a change set by ARN, or by name with its stack.</summary>
public sealed class ExecuteChangeSetRequest
{
    public string? ChangeSetName { get; set; }

    public string? StackName { get; set; }
}

public sealed class ExecuteChangeSetResponse : AmazonWebServiceResponse;
