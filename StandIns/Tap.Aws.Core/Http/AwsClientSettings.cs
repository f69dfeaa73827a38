using Amazon;
using Amazon.Runtime;
using Tap.Aws.Credentials;
using Tap.Aws.Endpoints;
using Tap.Aws.Protocol;

namespace Tap.Aws.Http;

/// <summary>The settings an AWS client actually uses, resolved once at construction as the SDK resolves them.</summary>
/// <param name="Region">The region requests are signed for.</param>
/// <param name="Endpoint">Where requests go.</param>
/// <param name="MaxAttempts">The first attempt and its retries.</param>
public sealed record AwsClientSettings(string Region, Uri Endpoint, int MaxAttempts)
{
    /// <summary>
    /// Unset values come from the environment: the region from <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then
    /// the profile; the endpoint from <c>AWS_ENDPOINT_URL_{SERVICE}</c>, <c>AWS_ENDPOINT_URL</c>, then the region's
    /// public endpoint.
    /// </summary>
    public static AwsClientSettings Resolve(AwsServiceMetadata service, RegionEndpoint? region, string? serviceUrl, int maxErrorRetry)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (maxErrorRetry < 0)
        {
            throw new AmazonClientException("MaxErrorRetry cannot be negative.");
        }

        var name = region?.SystemName ?? AwsRegionResolver.ResolveRequired();
        var endpoint = serviceUrl is { Length: > 0 } url ? new Uri(url, UriKind.Absolute) : AwsEndpointResolver.Resolve(service, name);
        return new AwsClientSettings(name, endpoint, maxErrorRetry + 1);
    }
}
