using System.Security.Cryptography;
using System.Text;

namespace Tap.LocalAws.Iam;

/// <summary>A configured IAM user or role.</summary>
/// <param name="Name">A friendly name.</param>
/// <param name="Arn">The user's or role's ARN.</param>
/// <param name="AccessKeyId">A long-term access key (users); roles have none.</param>
/// <param name="SecretAccessKey">The key's secret. Never logged.</param>
/// <param name="Policies">Identity-based policies.</param>
/// <param name="ContainerCredentialsToken">For roles: the bearer token that unlocks the container credentials endpoint.</param>
/// <param name="MaxSessionDurationSeconds">For roles: the longest AssumeRole session (3600 by default, up to 43200).</param>
public sealed record IamPrincipal(
    string Name,
    string Arn,
    string? AccessKeyId,
    string? SecretAccessKey,
    IReadOnlyList<PolicyDocument> Policies,
    string? ContainerCredentialsToken,
    int MaxSessionDurationSeconds)
{
    /// <summary>For roles: who may assume it (the role's <c>AssumeRolePolicyDocument</c>).</summary>
    public PolicyDocument? TrustPolicy { get; init; }

    /// <summary>
    /// For configured principals: managed policies attached by ARN, which apply (besides <see cref="Policies"/>) while
    /// they exist in IAM.
    /// </summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];

    public bool IsRole => Arn.Contains(":role/", StringComparison.Ordinal);

    /// <summary>The resource name after <c>user/</c> or <c>role/</c> (the last path segment).</summary>
    public string ResourceName => Arn[(Arn.LastIndexOf('/') + 1)..];

    /// <summary>A stable unique id in AWS's shape: <c>AIDA…</c> for users, <c>AROA…</c> for roles.</summary>
    /// <remarks>Computed with the ARN (every verified request's caller carries it), and again by <c>with</c> a new one.</remarks>
    public string UniqueId { get; private init; } = UniqueIdOf(Arn);

    /// <inheritdoc cref="IamPrincipal" path="/param[@name='Arn']"/>
    public string Arn
    {
        get;
        init
        {
            field = value;
            UniqueId = UniqueIdOf(value);
        }
    } = Arn;

    public override string ToString() => Arn;

    private static string UniqueIdOf(string arn) =>
        (arn.Contains(":role/", StringComparison.Ordinal) ? "AROA" : "AIDA") + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(arn)))[..17];
}
