using Amazon.Runtime;

namespace Amazon.CloudFormation.Model;

/// <summary>Deletes a stack and the resources it holds (but those its template retains).</summary>
public sealed class DeleteStackRequest
{
    public string? StackName { get; set; }

    public string? RoleARN { get; set; }

    public List<string>? RetainResources { get; set; }
}

public sealed class DeleteStackResponse : AmazonWebServiceResponse;
