namespace Tap.LocalAws.Iam;

public enum PolicyDecision
{
    /// <summary>No statement allows the request (IAM's default deny).</summary>
    ImplicitDeny,

    Allow,

    /// <summary>A Deny statement matches; it wins over any Allow.</summary>
    ExplicitDeny,
}

/// <summary>
/// IAM's evaluation logic for identity-based policies within one account: an explicit deny in any policy wins,
/// otherwise any allow grants, otherwise the request is denied by default.
/// </summary>
public static class PolicyEvaluator
{
    public static PolicyDecision Evaluate(
        IEnumerable<PolicyDocument> policies, string action, string resource, IReadOnlyDictionary<string, string> context)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var allowed = false;
        foreach (var statement in policies.SelectMany(p => p.Statements))
        {
            if (!Matches(statement, action, resource, context))
            {
                continue;
            }

            if (statement.Effect == PolicyEffect.Deny)
            {
                return PolicyDecision.ExplicitDeny;
            }

            allowed = true;
        }

        return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
    }

    internal static bool Matches(PolicyStatement statement, string action, string resource, IReadOnlyDictionary<string, string> context)
    {
        var actionMatches = statement.Actions is { } actions
            ? actions.Any(a => WildcardPattern.IsMatch(a, action, ignoreCase: true))
            : !statement.NotActions!.Any(a => WildcardPattern.IsMatch(a, action, ignoreCase: true));
        if (!actionMatches)
        {
            return false;
        }

        var resourceMatches = statement.Resources is { } resources
            ? resources.Any(r => WildcardPattern.IsMatch(r, resource, ignoreCase: false))
            : statement.NotResources is not { } notResources || !notResources.Any(r => WildcardPattern.IsMatch(r, resource, ignoreCase: false));
        return resourceMatches && statement.Conditions.All(c => c.IsSatisfied(context));
    }
}
