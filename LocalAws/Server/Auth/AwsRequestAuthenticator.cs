using Microsoft.AspNetCore.Http.Features;
using Tap.Aws.Signing;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Auth;

/// <summary>Verifies a request's SigV4 signature for a service and names the caller behind it.</summary>
public sealed class AwsRequestAuthenticator(IamDirectory iam, TimeProvider clock, LocalAwsSettings settings)
{
    private readonly SigV4Verifier _verifier = new(iam, clock);

    public (CallerIdentity? Caller, SigV4VerificationResult Result) Authenticate(HttpRequest request, ReadOnlySpan<byte> body, string service)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = _verifier.Verify(SigV4RequestOf(request, body), new SigV4VerifierOptions(service, settings.Region));
        if (!result.IsValid)
        {
            return (null, result);
        }

        // A temporary key can expire between verification and lookup.
        return iam.Identify(result.Authorization!.AccessKeyId) is { } caller
            ? (caller, result)
            : (null, result with { Status = SigV4Status.ExpiredToken, Message = SigV4VerificationResult.ExpiredTokenMessage });
    }

    /// <summary>The request as it was signed: the raw target keeps the client's encoding (ASP.NET Core decodes Path).</summary>
    private static SigV4Request SigV4RequestOf(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        return SigV4Request.FromWire(request.Method, target, request.Headers, body);
    }
}
