namespace Tap.LocalAws.Iam;

/// <summary>Decides whether a caller may perform an action on a resource, and words a denial as AWS does.</summary>
public static class IamAuthorizer
{
    public static AccessDecision Decide(
        CallerIdentity caller, string action, string resource, string region, bool secureTransport, PolicyDocument? resourcePolicy = null,
        IReadOnlyDictionary<string, string>? requestKeys = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ResourcePolicyEvaluator.Evaluate(caller, resourcePolicy, action, resource, new RequestContext(caller, action, resource, region, secureTransport, requestKeys));
    }

    /// <summary>
    /// Whether the caller may assume <paramref name="role"/>: its trust policy must let the caller in (and, where it
    /// only trusts the account, an identity policy must allow too). <paramref name="requestKeys"/> are the
    /// request's own condition keys, e.g. <c>sts:ExternalId</c>.
    /// </summary>
    public static AccessDecision DecideAssumeRole(
        CallerIdentity caller, IamPrincipal role, string action, string region, bool secureTransport, IReadOnlyDictionary<string, string> requestKeys)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(role);
        var trust = role.TrustPolicy ?? throw new ArgumentException($"The role {role.Arn} has no trust policy.", nameof(role));
        return ResourcePolicyEvaluator.EvaluateTrust(caller, trust, action, role.Arn, new RequestContext(caller, action, role.Arn, region, secureTransport, requestKeys));
    }

    /// <summary>
    /// Whether the caller may act on a KMS key: like a trust policy, its key policy must let the caller in, and one
    /// that names the account lets the caller's identity policies decide.
    /// </summary>
    public static AccessDecision DecideUnderKeyPolicy(CallerIdentity caller, string action, string keyArn, string region, bool secureTransport, PolicyDocument keyPolicy)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(keyPolicy);
        return ResourcePolicyEvaluator.EvaluateTrust(caller, keyPolicy, action, keyArn, new RequestContext(caller, action, keyArn, region, secureTransport, null));
    }

    /// <summary>AWS's wording, e.g. "User: arn:… is not authorized to perform: secretsmanager:GetSecretValue on
    /// resource: my/secret because no identity-based policy allows the secretsmanager:GetSecretValue action".
    /// The resource is named as the caller named it, so a denial reveals nothing the caller did not already know.</summary>
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
