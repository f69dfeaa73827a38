using Amazon.Runtime;

namespace Amazon.CloudFormation.Model;

/// <summary>A stack's resources (up to 100: CloudFormation's limit for this call), or the one with a logical or physical id.</summary>
public sealed class DescribeStackResourcesRequest
{
    public string? StackName { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }
}

public sealed class DescribeStackResourcesResponse : AmazonWebServiceResponse
{
    public List<StackResource>? StackResources { get; set; }
}

/// <summary>One resource of a stack.</summary>
public sealed class StackResource
{
    public string? StackId { get; set; }

    public string? StackName { get; set; }

    public string? LogicalResourceId { get; set; }

    public string? PhysicalResourceId { get; set; }

    public string? ResourceType { get; set; }

    public DateTime? Timestamp { get; set; }

    public ResourceStatus? ResourceStatus { get; set; }

    public string? ResourceStatusReason { get; set; }
}
