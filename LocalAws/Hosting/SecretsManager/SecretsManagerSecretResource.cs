using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// A Secrets Manager secret holding a JSON object in LocalAws: created when it is absent (each key with a generated
/// value) and left as it is when present, or deployed by a stack (<see cref="DeployedBy"/>). The dashboard shows its
/// ARN, current version id and keys, never its value.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="secretName">The secret's name in Secrets Manager, e.g. <c>tap/api-config</c>.</param>
/// <param name="keys">The JSON keys a new secret is created with.</param>
/// <param name="parent">The LocalAws that holds it.</param>
public sealed class SecretsManagerSecretResource(string name, string secretName, IReadOnlyList<string> keys, LocalAwsResource parent)
    : Resource(name), IResourceWithParent<LocalAwsResource>
{
    /// <summary>The secret's name in Secrets Manager (a deployed secret's, once its stack is up).</summary>
    public string SecretName { get; internal set; } = secretName;

    /// <summary>The JSON keys a new secret is created with (a deployed secret's, once its stack is up).</summary>
    public IReadOnlyList<string> Keys { get; internal set; } = keys;

    /// <summary>The stack output holding the ARN of the secret, when a stack deploys it rather than the AppHost.</summary>
    public StackOutputReference? DeployedBy { get; internal init; }

    /// <summary>
    /// A secret an earlier version of the app kept in LocalAws under another name, which this one replaces: while
    /// LocalAws still holds it, the secret's log says so and what to run.
    /// </summary>
    public string? SupersededSecretName { get; internal set; }

    /// <inheritdoc />
    public LocalAwsResource Parent { get; } = parent;

    /// <summary>The region the secret lives in.</summary>
    public string Region => Parent.Region;

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
    internal string Location => $"LocalAws ({Parent.Name})";
}
