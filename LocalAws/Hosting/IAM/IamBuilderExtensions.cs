using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>IAM users and roles in LocalAws's account.</summary>
public static class IamBuilderExtensions
{
    /// <summary>Adds an IAM user with an access key and identity policies.</summary>
    /// <param name="builder">The LocalAws resource.</param>
    /// <param name="userName">The user name (<c>arn:aws:iam::{account}:user/{userName}</c>).</param>
    /// <param name="accessKey">The user's access key.</param>
    /// <param name="policies">The user's identity policies.</param>
    public static IResourceBuilder<LocalAwsResource> WithIamUser(
        this IResourceBuilder<LocalAwsResource> builder, string userName, AwsAccessKeyParameters accessKey, params IamPolicy[] policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        return AddUser(builder, userName, accessKey, user => user.Policies.AddRange(policies));
    }

    /// <summary>
    /// Adds an IAM user with an access key that holds managed policies by ARN, e.g. one a stack deploys: each applies
    /// while it exists in LocalAws's IAM (in its default version), so the user may do what a stack's policy allows as
    /// soon as the stack has made it, and nothing before.
    /// </summary>
    /// <param name="builder">The LocalAws resource.</param>
    /// <param name="userName">The user name (<c>arn:aws:iam::{account}:user/{userName}</c>).</param>
    /// <param name="accessKey">The user's access key.</param>
    /// <param name="managedPolicyArns">The managed policies' ARNs (<c>arn:aws:iam::{account}:policy/NAME</c>).</param>
    public static IResourceBuilder<LocalAwsResource> WithIamUser(
        this IResourceBuilder<LocalAwsResource> builder, string userName, AwsAccessKeyParameters accessKey, IEnumerable<string> managedPolicyArns)
    {
        ArgumentNullException.ThrowIfNull(managedPolicyArns);
        return AddUser(builder, userName, accessKey, user => user.ManagedPolicyArns.AddRange(managedPolicyArns));
    }

    private static IResourceBuilder<LocalAwsResource> AddUser(
        IResourceBuilder<LocalAwsResource> builder, string userName, AwsAccessKeyParameters accessKey, Action<IamPrincipalAnnotation> grant)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(userName);
        ArgumentNullException.ThrowIfNull(accessKey);
        var user = new IamPrincipalAnnotation(userName, isRole: false) { AccessKey = accessKey };
        grant(user);
        return builder.WithAnnotation(user);
    }

    /// <summary>Adds an IAM role that callers assume through STS, with its trust policy and identity policies.</summary>
    /// <param name="builder">The LocalAws resource.</param>
    /// <param name="roleName">The role name (<c>arn:aws:iam::{account}:role/{roleName}</c>).</param>
    /// <param name="trustPolicy">Who may assume the role, and on which conditions (e.g. <c>sts:ExternalId</c>).</param>
    /// <param name="policies">The role's identity policies.</param>
    public static IResourceBuilder<LocalAwsResource> WithIamRole(
        this IResourceBuilder<LocalAwsResource> builder, string roleName, IamPolicy trustPolicy, params IamPolicy[] policies)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        ArgumentNullException.ThrowIfNull(trustPolicy);
        ArgumentNullException.ThrowIfNull(policies);
        var role = new IamPrincipalAnnotation(roleName, isRole: true) { TrustPolicy = trustPolicy };
        role.Policies.AddRange(policies);
        return builder.WithAnnotation(role);
    }
}
