using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>An IAM user or role LocalAws is told about.</summary>
internal sealed class IamPrincipalAnnotation(string name, bool isRole) : IResourceAnnotation
{
    public string Name { get; } = name;

    public bool IsRole { get; } = isRole;

    /// <summary>A user's access key.</summary>
    public AwsAccessKeyParameters? AccessKey { get; init; }

    /// <summary>A role's trust policy; unset, the role trusts its own account.</summary>
    public IamPolicy? TrustPolicy { get; init; }

    public List<IamPolicy> Policies { get; } = [];

    /// <summary>Managed policies held by ARN.</summary>
    public List<string> ManagedPolicyArns { get; } = [];

    public string Arn(LocalAwsResource localAws) => localAws.IamArn((IsRole ? "role/" : "user/") + Name);
}
