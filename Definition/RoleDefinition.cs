using System.Text.Json.Nodes;

namespace Tap.Definition;

/// <summary>An IAM role and the only actions it is granted on the app's secret.</summary>
/// <param name="Name">The role name.</param>
/// <param name="SecretActions">The actions the role may perform on the configuration secret, and nothing else.</param>
public sealed record RoleDefinition(string Name, IReadOnlyList<string> SecretActions)
{
    /// <summary>
    /// The role's identity policy as LocalAws is given it: <see cref="SecretActions"/> on the secret, named by its
    /// ARN pattern (the secret's random suffix is unknown before it exists). The CDK stack grants the same actions
    /// on the secret it creates; the parity test holds the two together.
    /// </summary>
    public string SecretPolicy(SecretDefinition secret, string region, string accountId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new JsonObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JsonArray(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Action"] = new JsonArray([.. SecretActions.Select(a => (JsonNode?)a)]),
                ["Resource"] = secret.ArnPattern(region, accountId),
            }),
        }.ToJsonString();
    }
}
