using Tap.Aws.Http;
using Tap.Aws.Protocol;

namespace Amazon.CloudFormation;

/// <summary>Client settings, named as in the AWS SDK. Unset values come from the environment, as the SDK resolves them.</summary>
public sealed class AmazonCloudFormationConfig
{
    /// <summary>The region; defaults to <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile.</summary>
    public RegionEndpoint? RegionEndpoint { get; set; }

    /// <summary>An explicit endpoint; defaults to <c>AWS_ENDPOINT_URL_CLOUDFORMATION</c>, <c>AWS_ENDPOINT_URL</c>, then the region's public endpoint.</summary>
    public string? ServiceURL { get; set; }

    /// <summary>Retries after the first attempt (the SDK's standard mode makes 3 attempts in all).</summary>
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>The per-attempt HTTP timeout.</summary>
    public TimeSpan? Timeout { get; set; }

    internal AwsClientSettings Resolve() => AwsClientSettings.Resolve(AwsServiceMetadata.CloudFormation, RegionEndpoint, ServiceURL, MaxErrorRetry);
}
