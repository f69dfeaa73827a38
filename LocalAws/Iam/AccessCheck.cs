using Tap.Aws.Errors;
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

    public void Demand(string action, string resource)
    {
        Resource = resource;
        var decision = IamAuthorizer.Decide(caller, action, resource, region, secureTransport);
        if (decision != PolicyDecision.Allow)
        {
            throw new AwsServiceException(AwsError.AccessDenied(IamAuthorizer.DenialMessage(caller, action, resource, decision), protocol));
        }
    }
}
