using Microsoft.Extensions.Options;
using Tap.Aws.Signing;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Auth;

/// <summary>Verifies a request's SigV4 signature for a service and names the caller behind it.</summary>
public sealed class AwsRequestAuthenticator(IamDirectory iam, TimeProvider clock, IOptions<LocalAwsOptions> options)
{
    private readonly SigV4Verifier _verifier = new(iam, clock);

    public (CallerIdentity? Caller, SigV4VerificationResult Result) Authenticate(HttpRequest request, ReadOnlySpan<byte> body, string service)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = _verifier.Verify(HttpSigV4Request.From(request, body), new SigV4VerifierOptions(service, options.Value.Region));
        return result.IsValid ? (iam.Identify(result.Authorization!.AccessKeyId), result) : (null, result);
    }
}
