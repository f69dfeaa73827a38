namespace Tap.LocalAws.Iam;

/// <summary>Decides whether a caller may perform an action on a resource, and words a denial as AWS does.</summary>
public static class IamAuthorizer
{
    public static AccessDecision Decide(
        CallerIdentity caller, string action, string resource, string region, bool secureTransport, PolicyDocument? resourcePolicy = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var context = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalArn"] = caller.IsAssumedRole ? caller.Principal.Arn : caller.Arn,
            ["aws:PrincipalAccount"] = caller.AccountId,
            ["aws:PrincipalType"] = caller.IsAssumedRole ? "AssumedRole" : "User",
            ["aws:userid"] = caller.UserId,
            ["aws:RequestedRegion"] = region,
            ["aws:SecureTransport"] = secureTransport ? "true" : "false",
        };
        if (!caller.IsAssumedRole)
        {
            context["aws:username"] = caller.Principal.ResourceName;
        }

        return ResourcePolicyEvaluator.Evaluate(caller, resourcePolicy, action, resource, context);
    }

    /// <summary>AWS's wording, e.g. "User: arn:… is not authorized to perform: secretsmanager:GetSecretValue on
    /// resource: arn:… because no identity-based policy allows the secretsmanager:GetSecretValue action".</summary>
    public static string DenialMessage(CallerIdentity caller, string action, string resource, AccessDecision decision)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(decision);
        var reason = decision.Decision == PolicyDecision.ExplicitDeny
            ? $"with an explicit deny in {(decision.DeniedByResourcePolicy ? "a resource-based" : "an identity-based")} policy"
            : $"because no identity-based policy allows the {action} action";
        return $"User: {caller.Arn} is not authorized to perform: {action} on resource: {resource} {reason}";
    }
}
