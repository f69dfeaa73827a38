using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>An IAM user (with an access key) or role (ARN with <c>:role/</c>) that LocalAws knows.</summary>
/// <param name="Name">A short name for logs.</param>
/// <param name="Arn">The principal's ARN in the emulated account.</param>
public sealed record LocalAwsPrincipalSettings(string Name, string Arn)
{
    /// <summary>
    /// Where LocalAws serves a role's credentials in the container credentials shape (for
    /// <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c>, with the role's <see cref="ContainerCredentialsToken"/>), by role name.
    /// </summary>
    public const string ContainerCredentialsPathPrefix = "/_localaws/container-credentials";

    /// <summary>A user's access key id (users only; goes with <see cref="SecretAccessKey"/>).</summary>
    public string? AccessKeyId { get; init; }

    /// <summary>A user's secret access key.</summary>
    public string? SecretAccessKey { get; init; }

    /// <summary>A role's token for the container credentials endpoint (roles only).</summary>
    public string? ContainerCredentialsToken { get; init; }

    /// <summary>A role's longest AssumeRole session, in seconds (IAM's default 3600 when unset).</summary>
    public int? MaxSessionDuration { get; init; }

    /// <summary>
    /// A role's trust policy as JSON text: who may assume it, under which conditions (e.g. <c>sts:ExternalId</c>).
    /// Unset, the role trusts its own account, so identity policies alone decide.
    /// </summary>
    public string? AssumeRolePolicyDocument { get; init; }

    /// <summary>Identity policies, each an IAM policy document as JSON text.</summary>
    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>
    /// Managed policies attached by ARN (<c>arn:aws:iam::{account}:policy/NAME</c> or an AWS managed one). Each
    /// applies while a policy with that ARN exists in LocalAws's IAM, in its default version, so one a stack
    /// deploys later applies from then on.
    /// </summary>
    public IReadOnlyList<string> ManagedPolicyArns { get; init; } = [];

    /// <summary>Where this entry was read from (<c>LocalAws:Principals:3</c>), for errors; not a setting.</summary>
    public string ConfigurationPath { get; init; } = string.Empty;

    internal static LocalAwsPrincipalSettings Read(IConfigurationSection section) =>
        new(section[nameof(Name)] ?? string.Empty, section[nameof(Arn)] ?? string.Empty)
        {
            AccessKeyId = section[nameof(AccessKeyId)],
            SecretAccessKey = section[nameof(SecretAccessKey)],
            ContainerCredentialsToken = section[nameof(ContainerCredentialsToken)],
            MaxSessionDuration = Integer(section, nameof(MaxSessionDuration)),
            AssumeRolePolicyDocument = Json(section.GetSection(nameof(AssumeRolePolicyDocument))),
            Policies = [.. Entries(section.GetSection(nameof(Policies))).Select(p => Json(p) ?? string.Empty)],
            ManagedPolicyArns = Strings(section, nameof(ManagedPolicyArns)),
            ConfigurationPath = section.Path,
        };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(Name)), Name);
        Add(settings, Key(prefix, nameof(Arn)), Arn);
        Add(settings, Key(prefix, nameof(AccessKeyId)), AccessKeyId);
        Add(settings, Key(prefix, nameof(SecretAccessKey)), SecretAccessKey);
        Add(settings, Key(prefix, nameof(ContainerCredentialsToken)), ContainerCredentialsToken);
        Add(settings, Key(prefix, nameof(AssumeRolePolicyDocument)), AssumeRolePolicyDocument);
        Add(settings, Key(prefix, nameof(MaxSessionDuration)), MaxSessionDuration);
        Add(settings, Key(prefix, nameof(Policies)), Policies);
        Add(settings, Key(prefix, nameof(ManagedPolicyArns)), ManagedPolicyArns);
    }
}
