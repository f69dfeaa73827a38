using System.Diagnostics.CodeAnalysis;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Iam;

/// <summary>
/// The authorization step of one request to <paramref name="operation"/>: <see cref="DemandOperation"/> demands the
/// IAM action the operation declares, <see cref="Demand"/> any other one an input implies; each throws AWS's
/// AccessDenied error in the caller's protocol when IAM would deny. Remembers the last resource checked, for logs
/// and traces.
/// </summary>
/// <param name="accessDeniedCode">The service's own code for a denial, when it has one (<see cref="AwsServiceMetadata.AccessDeniedCode"/>).</param>
public sealed class AccessCheck(CallerIdentity caller, AwsOperation operation, string region, bool secureTransport, AwsProtocol protocol, string? accessDeniedCode = null)
{
    public CallerIdentity Caller => caller;

    public AwsOperation Operation => operation;

    public string? Resource { get; private set; }

    public bool SecureTransport => secureTransport;

    public string Region => region;

    /// <summary>Demands the operation's declared IAM action on <paramref name="resource"/> (see <see cref="Demand"/>).</summary>
    public void DemandOperation(string resource, PolicyDocument? resourcePolicy = null, string? requestedAs = null) =>
        Demand(DeclaredAction, resource, resourcePolicy, requestedAs);

    /// <summary>
    /// Demands <paramref name="action"/> on <paramref name="resource"/> (the ARN IAM evaluates). A denial names the
    /// resource as <paramref name="requestedAs"/> when given: as the caller named it, so it reveals nothing more.
    /// </summary>
    public void Demand(
        string action, string resource, PolicyDocument? resourcePolicy = null, string? requestedAs = null, IReadOnlyDictionary<string, string>? requestKeys = null)
    {
        if (!IsAllowed(action, resource, resourcePolicy, out var decision, requestKeys))
        {
            throw new AwsServiceException(AwsError.AccessDenied(IamAuthorizer.DenialMessage(caller, action, requestedAs ?? resource, decision), protocol, accessDeniedCode));
        }
    }

    /// <summary>
    /// Demands that the caller may assume <paramref name="role"/> (its trust policy and, where that trusts only the
    /// account, an identity policy). An unknown role is denied in the same words as a forbidden one, as in AWS.
    /// </summary>
    public void DemandAssumeRole([NotNull] IamPrincipal? role, string roleArn, IReadOnlyDictionary<string, string> requestKeys)
    {
        Resource = roleArn;
        if (role is null || IamAuthorizer.DecideAssumeRole(caller, role, DeclaredAction, region, secureTransport, requestKeys).Decision != PolicyDecision.Allow)
        {
            throw new AwsServiceException(AwsError.AccessDenied($"User: {caller.Arn} is not authorized to perform: {DeclaredAction} on resource: {roleArn}", protocol, accessDeniedCode));
        }
    }

    /// <summary>Demands <paramref name="action"/> on a KMS key under its key policy (see <see cref="IamAuthorizer.DecideUnderKeyPolicy"/>).</summary>
    public void DemandUnderKeyPolicy(string action, string keyArn, PolicyDocument keyPolicy, string requestedAs)
    {
        Resource = keyArn;
        var decision = IamAuthorizer.DecideUnderKeyPolicy(caller, action, keyArn, region, secureTransport, keyPolicy);
        if (decision.Decision != PolicyDecision.Allow)
        {
            throw new AwsServiceException(AwsError.AccessDenied(IamAuthorizer.DenialMessage(caller, action, requestedAs, decision), protocol, accessDeniedCode));
        }
    }

    /// <summary>Like <see cref="Demand"/>, without throwing (batch operations report denials per item).</summary>
    /// <param name="requestKeys">The request's own condition keys, e.g. <c>s3:prefix</c>.</param>
    public bool IsAllowed(
        string action, string resource, PolicyDocument? resourcePolicy, out AccessDecision decision, IReadOnlyDictionary<string, string>? requestKeys = null)
    {
        Resource = resource;
        decision = IamAuthorizer.Decide(caller, action, resource, region, secureTransport, resourcePolicy, requestKeys);
        return decision.Decision == PolicyDecision.Allow;
    }

    private string DeclaredAction => operation.IamAction
        ?? throw new InvalidOperationException($"{operation.Name} declares no IAM action: it needs no authorization.");
}
