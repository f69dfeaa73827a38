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
        return Identify(SigV4Request.FromWire(request.Method, RawTarget(request), request.Headers, body), service);
    }

    /// <summary>
    /// Verifies a request whose body is still unread (S3): the signature covers the payload hash the client declares
    /// in <c>x-amz-content-sha256</c> (a presigned URL's is <c>UNSIGNED-PAYLOAD</c>); the service checks the body
    /// against that declaration as it reads it.
    /// </summary>
    public (CallerIdentity? Caller, SigV4VerificationResult Result) AuthenticateStreaming(HttpRequest request, string service)
    {
        ArgumentNullException.ThrowIfNull(request);
        var declared = request.Headers[SigV4Constants.Headers.XAmzContentSha256].ToString();
        return Identify(SigV4Request.FromWire(
            request.Method, RawTarget(request), request.Headers, declared.Length > 0 ? declared : SigV4Constants.UnsignedPayload), service);
    }

    private (CallerIdentity? Caller, SigV4VerificationResult Result) Identify(SigV4Request request, string service)
    {
        var result = _verifier.Verify(request, new SigV4VerifierOptions(service, settings.Region));
        if (!result.IsValid)
        {
            return (null, result);
        }

        // A temporary key can expire between verification and lookup.
        return iam.Identify(result.Authorization!.AccessKeyId) is { } caller
            ? (caller, result)
            : (null, result with { Status = SigV4Status.ExpiredToken, Message = SigV4VerificationResult.ExpiredTokenMessage });
    }

    /// <summary>The request target as it was signed: the raw target keeps the client's encoding (ASP.NET Core decodes Path).</summary>
    private static string RawTarget(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(target) || target[0] != '/'
            ? request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent()
            : target;
    }
}
