namespace Tap.Definition;

/// <summary>A Secrets Manager secret holding a JSON object.</summary>
/// <param name="Name">The secret name; AWS appends a 6-character random suffix to form the ARN.</param>
/// <param name="Keys">The JSON keys the function expects. Only the key names are ever shown, never values.</param>
public sealed record SecretDefinition(string Name, IReadOnlyList<string> Keys);
