namespace Tap.LocalAws.Iam.Entities;

/// <summary>An IAM role made through IAM's API (a stack's <c>AWS::IAM::Role</c>), as IAM keeps it.</summary>
/// <param name="TrustPolicy">The <c>AssumeRolePolicyDocument</c>, as given.</param>
/// <param name="InlinePolicies">Its inline policies' documents, by policy name.</param>
/// <param name="AttachedPolicies">The ARNs of the managed policies attached to it.</param>
internal sealed record IamRole(
    string Name,
    string Path,
    string Arn,
    string RoleId,
    string TrustPolicy,
    IReadOnlyDictionary<string, string> InlinePolicies,
    IReadOnlyList<string> AttachedPolicies,
    int MaxSessionDuration,
    string? Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreateDate);

/// <summary>An IAM user made through IAM's API, with its access keys.</summary>
internal sealed record IamUser(
    string Name,
    string Path,
    string Arn,
    string UserId,
    IReadOnlyDictionary<string, string> InlinePolicies,
    IReadOnlyList<string> AttachedPolicies,
    IReadOnlyList<IamAccessKey> AccessKeys,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreateDate);

/// <summary>A user's long-term access key. The secret is given out once, when the key is made.</summary>
internal sealed record IamAccessKey(string AccessKeyId, string SecretAccessKey, string Status, DateTimeOffset CreateDate)
{
    public bool IsActive => Status == "Active";
}

/// <summary>A customer managed policy: its versions (at most five), one of them the default.</summary>
internal sealed record ManagedPolicy(
    string Name,
    string Path,
    string Arn,
    string PolicyId,
    string? Description,
    IReadOnlyList<PolicyVersion> Versions,
    string DefaultVersionId,
    DateTimeOffset CreateDate,
    DateTimeOffset UpdateDate)
{
    public PolicyVersion DefaultVersion => Versions.First(v => v.VersionId == DefaultVersionId);
}

/// <summary>One version of a managed policy's document.</summary>
internal sealed record PolicyVersion(string VersionId, string Document, DateTimeOffset CreateDate);
