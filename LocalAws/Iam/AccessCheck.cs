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

    public void Demand(string action, string resource, PolicyDocument? resourcePolicy = null)
    {
        if (!IsAllowed(action, resource, resourcePolicy, out var decision))
        {
            throw new AwsServiceException(AwsError.AccessDenied(IamAuthorizer.DenialMessage(caller, action, resource, decision), protocol));
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
