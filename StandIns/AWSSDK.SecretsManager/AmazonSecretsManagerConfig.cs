using Amazon.Runtime;

namespace Amazon.SecretsManager;

/// <summary>Client settings, named as in the AWS SDK. Unset values come from the environment, as the SDK resolves them.</summary>
public sealed class AmazonSecretsManagerConfig
{
    /// <summary>The region; defaults to <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile.</summary>
    public RegionEndpoint? RegionEndpoint { get; set; }

    /// <summary>
    /// An explicit endpoint; defaults to <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c>, <c>AWS_ENDPOINT_URL</c>, then the
    /// public endpoint of the region.
    /// </summary>
    public string? ServiceURL { get; set; }

    /// <summary>Retries after the first attempt (the SDK's standard mode makes 3 attempts in all).</summary>
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>The per-attempt HTTP timeout.</summary>
    public TimeSpan? Timeout { get; set; }

    internal ClientConfigSnapshot Resolve() => ClientConfigSnapshot.From(this);
}

/// <summary>The settings a client actually uses, resolved once at construction.</summary>
internal sealed record ClientConfigSnapshot(string Region, Uri Endpoint, int MaxAttempts)
{
    public static ClientConfigSnapshot From(AmazonSecretsManagerConfig config)
    {
        var region = config.RegionEndpoint?.SystemName ?? Tap.Aws.Credentials.AwsRegionResolver.ResolveRequired();
        var endpoint = config.ServiceURL is { Length: > 0 } url
            ? new Uri(url, UriKind.Absolute)
            : Tap.Aws.Endpoints.AwsEndpointResolver.Resolve(Tap.Aws.Protocol.AwsServiceMetadata.SecretsManager, region);
        if (config.MaxErrorRetry < 0)
        {
            throw new AmazonClientException("MaxErrorRetry cannot be negative.");
        }

        return new ClientConfigSnapshot(region, endpoint, config.MaxErrorRetry + 1);
    }
}
