namespace Tap.Definition;

/// <summary>An IAM role and the only actions it is granted on the app's secret.</summary>
/// <param name="Name">The role name.</param>
/// <param name="SecretActions">The actions the role may perform on the configuration secret, and nothing else.</param>
public sealed record RoleDefinition(string Name, IReadOnlyList<string> SecretActions);
