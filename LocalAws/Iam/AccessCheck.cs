using System.Diagnostics.CodeAnalysis;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Iam;

/// <summary>
/// The authorization step of one request: <see cref="Demand"/> throws AWS's AccessDenied error in the caller's
/// protocol when IAM would deny. Remembers the last resource checked, for logs and traces.
/// </summary>
public sealed class AccessCheck(CallerIdentity caller, string region, bool secureTransport, AwsProtocol protocol)
{
    public CallerIdentity Caller => caller;

    public string? Resource { get; private set; }

    public bool SecureTransport => secureTransport;

    public string Region => region;

    /// <summary>
    /// Demands <paramref name="action"/> on <paramref name="resource"/> (the ARN IAM evaluates). A denial names the
    /// resource as <paramref name="requestedAs"/> when given: as the caller named it, so it reveals nothing more.
    /// </summary>
    public void Demand(string action, string resource, PolicyDocument? resourcePolicy = null, string? requestedAs = null)
    {
        if (!IsAllowed(action, resource, resourcePolicy, out var decision))
        {
            throw new AwsServiceException(AwsError.AccessDenied(IamAuthorizer.DenialMessage(caller, action, requestedAs ?? resource, decision), protocol));
        }
    }

    /// <summary>
    /// Demands that the caller may assume <paramref name="role"/> (its trust policy and, where that trusts only the
    /// account, an identity policy). An unknown role is denied in the same words as a forbidden one, as in AWS.
    /// </summary>
    public void DemandAssumeRole([NotNull] IamPrincipal? role, string roleArn, IReadOnlyDictionary<string, string> requestKeys)
    {
        Resource = roleArn;
        if (role is null || IamAuthorizer.DecideAssumeRole(caller, role, "sts:AssumeRole", region, secureTransport, requestKeys).Decision != PolicyDecision.Allow)
        {
            throw new AwsServiceException(AwsError.AccessDenied($"User: {caller.Arn} is not authorized to perform: sts:AssumeRole on resource: {roleArn}", protocol));
        }
    }

    /// <summary>Like <see cref="Demand"/>, without throwing (batch operations report denials per item).</summary>
    public bool IsAllowed(string action, string resource, PolicyDocument? resourcePolicy, out AccessDecision decision)
    {
        Resource = resource;
        decision = IamAuthorizer.Decide(caller, action, resource, region, secureTransport, resourcePolicy);
        return decision.Decision == PolicyDecision.Allow;
    }
}
