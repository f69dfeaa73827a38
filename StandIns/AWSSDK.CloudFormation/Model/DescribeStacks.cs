using Amazon.Runtime;

namespace Amazon.CloudFormation.Model;

/// <summary>One stack by name or id, or every stack (not deleted) a page at a time.</summary>
public sealed class DescribeStacksRequest
{
    public string? StackName { get; set; }

    public string? NextToken { get; set; }
}

public sealed class DescribeStacksResponse : AmazonWebServiceResponse
{
    public List<Stack>? Stacks { get; set; }

    public string? NextToken { get; set; }
}
