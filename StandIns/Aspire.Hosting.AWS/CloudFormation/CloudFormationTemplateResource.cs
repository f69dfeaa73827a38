using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.CloudFormation;

/// <summary>A stack provisioned from a template file, its parameters and tags.</summary>
internal sealed class CloudFormationTemplateResource(string name, string stackName, string templatePath) : Resource(name), ICloudFormationTemplateResource
{
    public string StackName { get; } = stackName;

    public string TemplatePath { get; } = templatePath;

    public IAmazonCloudFormation? CloudFormationClient { get; set; }

    public IAWSSDKConfig? AWSSDKConfig { get; set; }

    public List<Output>? Outputs { get; set; }

    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public TaskCompletionSource? ProvisioningTaskCompletionSource { get; set; }

    public string? RoleArn { get; set; }

    public int StackPollingInterval { get; set; } = 3;

    public bool DisableDiffCheck { get; set; }

    public IList<string> DisabledCapabilities { get; } = [];

    public IDictionary<string, string> CloudFormationParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public ICloudFormationTemplateResource AddParameter(string parameterName, string parameterValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        ArgumentNullException.ThrowIfNull(parameterValue);
        CloudFormationParameters[parameterName] = parameterValue;
        return this;
    }
}
