namespace Tap.Definition;

/// <summary>
/// Who may call the API: a managed policy allowing only <see cref="Actions"/> on the API's stage, and a role with it
/// that trusts the account only when the caller presents the external id (the confused-deputy guard).
/// </summary>
/// <param name="RoleName">The invoker role's name.</param>
/// <param name="PolicyName">The managed policy's name.</param>
/// <param name="Actions">The only actions granted, on the API's stage.</param>
public sealed record InvokerDefinition(string RoleName, string PolicyName, IReadOnlyList<string> Actions)
{
    /// <summary>The condition key a caller's external id is checked against.</summary>
    public const string ExternalIdConditionKey = "sts:ExternalId";
}
