namespace Tap.LocalAws.Iam;

/// <summary>The outcome of evaluating identity and resource policies together.</summary>
public sealed record AccessDecision(PolicyDecision Decision, bool DeniedByResourcePolicy);

/// <summary>
/// Same-account evaluation, as IAM does it: an explicit deny in either the identity policies or the resource
/// policy wins; otherwise an allow in either grants; otherwise the request is denied by default. A resource policy
/// statement applies to a caller named in its Principal (<c>*</c>, the user's ARN, or the role behind an assumed-role
/// session). Naming the account only delegates to identity policies, so it grants nothing by itself.
/// </summary>
public static class ResourcePolicyEvaluator
{
    public static AccessDecision Evaluate(
        CallerIdentity caller, PolicyDocument? resourcePolicy, string action, string resource, IReadOnlyDictionary<string, string> context)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var identity = PolicyEvaluator.Evaluate(caller.Principal.Policies, action, resource, context);
        if (identity == PolicyDecision.ExplicitDeny || resourcePolicy is null)
        {
            return new AccessDecision(identity, DeniedByResourcePolicy: false);
        }

        var allowedByResource = false;
        foreach (var statement in resourcePolicy.Statements)
        {
            var isDeny = statement.Effect == PolicyEffect.Deny;
            if (!AppliesTo(statement, caller, isDeny) || !PolicyEvaluator.Matches(statement, action, resource, context))
            {
                continue;
            }

            if (isDeny)
            {
                return new AccessDecision(PolicyDecision.ExplicitDeny, DeniedByResourcePolicy: true);
            }

            allowedByResource = true;
        }

        return new AccessDecision(identity == PolicyDecision.Allow || allowedByResource ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny, false);
    }

    /// <summary>
    /// A role's trust policy (or a KMS key policy, which works alike), which unlike other resource policies must let the caller in. A statement naming the
    /// caller (its ARN, its role's ARN, or <c>*</c>) grants by itself; one naming only the account lets the caller's
    /// identity policies decide; a role whose trust policy names neither cannot be assumed at all.
    /// </summary>
    public static AccessDecision EvaluateTrust(
        CallerIdentity caller, PolicyDocument trustPolicy, string action, string roleArn, IReadOnlyDictionary<string, string> context)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(trustPolicy);
        var identity = PolicyEvaluator.Evaluate(caller.Principal.Policies, action, roleArn, context);
        if (identity == PolicyDecision.ExplicitDeny)
        {
            return new AccessDecision(identity, DeniedByResourcePolicy: false);
        }

        var (grantsCaller, trustsAccount) = (false, false);
        foreach (var statement in trustPolicy.Statements)
        {
            var namesCaller = AppliesTo(statement, caller, isDeny: false);
            var namesAccount = NamesAccount(statement, caller);
            if ((!namesCaller && !namesAccount) || !PolicyEvaluator.Matches(statement, action, roleArn, context))
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return new AccessDecision(PolicyDecision.ExplicitDeny, DeniedByResourcePolicy: true);
            }

            grantsCaller |= namesCaller;
            trustsAccount |= namesAccount;
        }

        var allowed = grantsCaller || (trustsAccount && identity == PolicyDecision.Allow);
        return new AccessDecision(allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny, DeniedByResourcePolicy: false);
    }

    private static bool NamesAccount(PolicyStatement statement, CallerIdentity caller) =>
        statement.Principals?.Any(p => p == caller.AccountId || p == $"arn:aws:iam::{caller.AccountId}:root") == true;

    private static bool AppliesTo(PolicyStatement statement, CallerIdentity caller, bool isDeny) =>
        statement.Principals?.Any(p =>
            p == "*"
            || string.Equals(p, caller.Arn, StringComparison.Ordinal)
            || string.Equals(p, caller.Principal.Arn, StringComparison.Ordinal)
            || (isDeny && (p == caller.AccountId || p == $"arn:aws:iam::{caller.AccountId}:root"))) == true;
}
