using System.Text.Json.Nodes;

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

    /// <summary>The invoker role's trust policy: the account's root, with the external id.</summary>
    public static string TrustPolicy(string accountId, string externalId) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["AWS"] = $"arn:aws:iam::{accountId}:root" },
            ["Action"] = "sts:AssumeRole",
            ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { [ExternalIdConditionKey] = externalId } },
        }),
    }.ToJsonString();

    /// <summary>The invoke policy: <see cref="Actions"/> on every method and path of one stage of one API.</summary>
    public string InvokePolicy(string region, string accountId, string apiId, string stage) => new JsonObject
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Action"] = new JsonArray([.. Actions.Select(a => (JsonNode?)a)]),
            ["Resource"] = StageArn(region, accountId, apiId, stage),
        }),
    }.ToJsonString();

    /// <summary>What the invoke policy grants, as IAM evaluates it: every method and path of one stage of one API.</summary>
    public static string StageArn(string region, string accountId, string apiId, string stage) =>
        $"arn:aws:execute-api:{region}:{accountId}:{apiId}/{stage}/*/*";
}
