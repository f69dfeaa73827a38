using Amazon.Runtime;

namespace Amazon.CloudFormation.Model;

/// <summary>A stack's events, newest first, a page at a time.</summary>
public sealed class DescribeStackEventsRequest
{
    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeStackEventsResponse : AmazonWebServiceResponse
{
    public List<StackEvent>? StackEvents { get; set; }

    public string? NextToken { get; set; }
}

/// <summary>One step of a stack operation: the stack's or one resource's status, and why.</summary>
public sealed class StackEvent
{
    public string? EventId { get; set; }

    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? Timestamp { get; set; }

    public ResourceStatus? ResourceStatus { get; set; }

    public string? ResourceStatusReason { get; set; }
}
