using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.CloudFormation;

/// <summary>A CloudFormation stack the AppHost provisions or reads, and where its outputs are once it has.</summary>
public interface ICloudFormationResource : IAWSResource, IResourceWithWaitSupport
{
    /// <summary>The client provisioning calls; when set, <see cref="AWSSDKConfig"/> is not used to make one.</summary>
    IAmazonCloudFormation? CloudFormationClient { get; set; }

    /// <summary>The region and profile a client is made with when <see cref="CloudFormationClient"/> is unset.</summary>
    IAWSSDKConfig? AWSSDKConfig { get; set; }

    /// <summary>The stack's name.</summary>
    string StackName { get; }

    /// <summary>The stack's outputs, once it is provisioned.</summary>
    List<Output>? Outputs { get; }

    /// <summary>Tags for the stack (CloudFormation puts them on its resources too).</summary>
    IDictionary<string, string> Tags { get; }
}
