using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// A Secrets Manager secret holding a JSON object, created in LocalAws when it is absent (each key with a generated
/// value) and left as it is when present. The dashboard shows its ARN and current version id, never its value.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="secretName">The secret's name in Secrets Manager, e.g. <c>tap/api-config</c>.</param>
/// <param name="keys">The JSON keys a new secret is created with.</param>
/// <param name="parent">The LocalAws that holds it.</param>
public sealed class SecretsManagerSecretResource(string name, string secretName, IReadOnlyList<string> keys, LocalAwsResource parent)
    : Resource(name), IResourceWithParent<LocalAwsResource>
{
    /// <summary>The secret's name in Secrets Manager.</summary>
    public string SecretName { get; } = secretName;

    /// <summary>The JSON keys a new secret is created with.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;

    /// <inheritdoc />
    public LocalAwsResource Parent { get; } = parent;

    /// <summary>Where the secret lives when not in LocalAws; null: LocalAws.</summary>
    public SecretsManagerBackend? Backend { get; internal set; }

    /// <summary>The region the secret lives in.</summary>
    public string Region => Backend?.Region ?? Parent.Region;

    /// <summary>The secret's ARN, once provisioned.</summary>
    public string? Arn { get; internal set; }

    /// <summary>The id of the version labelled <c>AWSCURRENT</c>, once provisioned.</summary>
    public string? VersionId { get; internal set; }

    /// <summary>
    /// The ARN pattern grants use before the secret exists: Secrets Manager appends <c>-</c> and 6 random characters
    /// to the name, so <c>-??????</c> matches this secret and no other whose name merely starts the same way.
    /// </summary>
    public string ArnPattern => Parent.Arn("secretsmanager", $"secret:{SecretName}-??????");

    /// <summary>What a summary of the secret's home says in logs and the dashboard.</summary>
    internal string Location => Backend switch
    {
        null => $"LocalAws ({Parent.Name})",
        { ServiceURL: { } url } => url,
        { Profile: { } profile } => $"AWS ({Region}, profile {profile})",
        _ => $"AWS ({Region})",
    };
}
