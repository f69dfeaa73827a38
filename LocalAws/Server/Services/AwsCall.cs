using Tap.Aws.Signing;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Services;

/// <summary>One authenticated request, routed to its service's operation: what a service's handler gets.</summary>
/// <param name="Context">The HTTP exchange, for the response.</param>
/// <param name="Operation">The operation the request names.</param>
/// <param name="Body">The request body, read within the service's limit.</param>
/// <param name="Parameters">What the route carried: Query parameters, or REST path labels such as <c>FunctionName</c>.</param>
/// <param name="Access">The caller's authorization, for the operation's IAM action.</param>
/// <param name="RequestId">The request id every response carries.</param>
public sealed record AwsCall(
    HttpContext Context,
    AwsOperation Operation,
    byte[] Body,
    IReadOnlyDictionary<string, string> Parameters,
    AccessCheck Access,
    string RequestId)
{
    /// <summary>The verified signature (S3 checks a signed streaming body's chunks against it).</summary>
    public SigV4Authorization? Signature { get; init; }
}
