using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// Who may call the API: a managed policy with only the definition's actions on the API's one stage, and a role
/// holding it that trusts the account only with the external id. The external id is a deploy-time parameter
/// (<c>--parameters InvokerExternalId=…</c>), never a value in the template. The policy is named (with the
/// environment, as the secret is), so users can be given it by ARN before the stack exists.
/// </summary>
public sealed class Invoker : Construct
{
    public const string ExternalIdParameter = "InvokerExternalId";

    public Invoker(Construct scope, string id, InvokerDefinition definition, ApiGateway api, string environmentName)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(api);
        var externalId = new CfnParameter(Stack.Of(this), ExternalIdParameter, new CfnParameterProps
        {
            Type = "String",
            NoEcho = true,
            MinLength = 2,
            MaxLength = 1224,
            AllowedPattern = "[\\w+=,.@:/-]*",
            Description = $"The external id callers must present to assume {definition.RoleName}.",
        });

        Policy = new ManagedPolicy(this, "Policy", new ManagedPolicyProps
        {
            ManagedPolicyName = $"{definition.PolicyName}-{environmentName}",
            Description = $"{definition.PolicyName}: call the API, nothing else.",
            Statements =
            [
                new PolicyStatement(new PolicyStatementProps
                {
                    Actions = [.. definition.Actions],
                    Resources = [api.Api.ArnForExecuteApi(null, null, api.Stage.StageName)],
                }),
            ],
        });

        Role = new Role(this, "Role", new RoleProps
        {
            Description = $"{definition.RoleName}: assume it with the external id to call the API.",
            AssumedBy = new AccountRootPrincipal().WithConditions(new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { [InvokerDefinition.ExternalIdConditionKey] = externalId.ValueAsString },
            }),
            ManagedPolicies = [Policy],
        });
    }

    public ManagedPolicy Policy { get; }

    public Role Role { get; }
}
