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
        foreach (var policy in policies)
        {
            foreach (var statement in policy.Statements)
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
        }

        return allowed ? PolicyDecision.Allow : PolicyDecision.ImplicitDeny;
    }

    // Every authorized request evaluates each statement: loops rather than a closure per list.
    internal static bool Matches(PolicyStatement statement, string action, string resource, IReadOnlyDictionary<string, string> context)
    {
        var actionMatches = statement.Actions is { } actions
            ? AnyMatches(actions, action, ignoreCase: true)
            : !AnyMatches(statement.NotActions!, action, ignoreCase: true);
        if (!actionMatches)
        {
            return false;
        }

        var resourceMatches = statement.Resources is { } resources
            ? AnyMatches(resources, resource, ignoreCase: false)
            : statement.NotResources is not { } notResources || !AnyMatches(notResources, resource, ignoreCase: false);
        if (!resourceMatches)
        {
            return false;
        }

        for (var i = 0; i < statement.Conditions.Count; i++)
        {
            if (!statement.Conditions[i].IsSatisfied(context))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AnyMatches(IReadOnlyList<string> patterns, string value, bool ignoreCase)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (WildcardPattern.IsMatch(patterns[i], value, ignoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
