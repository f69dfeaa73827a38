namespace Tap.Definition;

/// <summary>A Secrets Manager secret holding a JSON object.</summary>
/// <param name="Name">The secret name; AWS appends a 6-character random suffix to form the ARN.</param>
/// <param name="Keys">The JSON keys the function expects. Only the key names are ever shown, never values.</param>
public sealed record SecretDefinition(string Name, IReadOnlyList<string> Keys)
{
    /// <summary>
    /// The key whose value is generated where the secret is created (CloudFormation can generate one key; the others
    /// start empty and are filled with PutSecretValue).
    /// </summary>
    public required string GeneratedKey { get; init; }

    /// <summary>
    /// The ARN pattern grants use before the secret exists: AWS appends <c>-</c> and 6 random characters to the name,
    /// so <c>-??????</c> matches this secret and no other whose name merely starts the same way.
    /// </summary>
    public string ArnPattern(string region, string accountId) => $"arn:aws:secretsmanager:{region}:{accountId}:secret:{Name}-??????";
}
