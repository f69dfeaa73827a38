using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.Signing;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.S3;

/// <summary>
/// Amazon S3 (REST-XML, signing name <c>s3</c>): path-style on LocalAws's own host, virtual-hosted style for
/// <c>{bucket}.s3.localhost</c>. S3 shares <c>/</c> with the JSON and Query services (ListBuckets, and a virtual
/// host's bucket), so there it takes only requests that are S3's by host or by credential scope; every other path
/// is S3's alone. Bodies are streamed (objects are large), checked as they arrive against what was signed.
/// </summary>
internal sealed class S3Api(S3Service service, LocalAwsSettings settings) : IAwsServiceApi
{
    public AwsServiceMetadata Metadata => AwsServiceMetadata.S3;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/", "/{**path}"];

    public bool StreamsBody => true;

    public IReadOnlyList<AwsOperation> Operations => S3Operations.All;

    public int MaxRequestBytes => 0;

    public AwsError RequestTooLarge => S3Errors.EntityTooLarge(0).Error;

    public bool Accepts(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path.Value is not ("/" or ""))
        {
            return true;
        }

        // On "/": S3's when addressed to an S3 host name, signed for s3, or anything but the POSTs of the other services.
        return S3Address.IsS3Host(request.Host.Host, settings.Region)
            || SigningScope.IsSignedFor(request, Metadata.SigningName)
            || !(HttpMethods.IsPost(request.Method) || HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("Action"));
    }

    public AwsOperationRoute Route(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        S3Address address;
        try
        {
            address = S3Address.Parse(request.Host.Host, RawPath(request), settings.Region);
        }
        catch (FormatException)
        {
            throw S3Errors.Error(400, "InvalidURI", "Couldn't parse the specified URI.");
        }

        // S3 requires the payload hash of every header-signed request (a presigned URL's is UNSIGNED-PAYLOAD):
        // without it the signature could only be checked against a guess.
        if (request.Headers.Authorization.Count > 0 && !request.Headers.ContainsKey(SigV4Constants.Headers.XAmzContentSha256))
        {
            throw S3Errors.Error(400, "InvalidRequest", $"Missing required header for this request: {SigV4Constants.Headers.XAmzContentSha256}");
        }

        var operation = S3Operations.Select(request.Method, address, request.Query, request.Headers);
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (address.Bucket is not null)
        {
            parameters[S3Service.BucketParameter] = address.Bucket;
        }

        if (address.Key is not null)
        {
            parameters[S3Service.KeyParameter] = address.Key;
        }

        return new AwsOperationRoute(operation, parameters);
    }

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Context.Response.Headers[RestXmlProtocol.RequestIdHeader] = request.RequestId;
        return service.HandleAsync(request);
    }

    /// <summary>The path as the client sent it, still encoded (ASP.NET Core decodes Path; S3 decodes the key once itself).</summary>
    private static string RawPath(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return request.Path.ToUriComponent();
        }

        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target[..query];
    }
}
