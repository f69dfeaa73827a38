using Amazon.Runtime;

namespace Tap.Aws.Credentials;

/// <summary>The region, as the AWS SDKs find it: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the profile.</summary>
public static class AwsRegionResolver
{
    public static string? Resolve(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        foreach (var variable in (string[])["AWS_REGION", "AWS_DEFAULT_REGION"])
        {
            if (environment(variable) is { Length: > 0 } region)
            {
                return region;
            }
        }

        return FallbackRegionFactory.GetRegionEndpoint(includeInstanceMetadata: false)?.SystemName;
    }

    /// <summary>Like <see cref="Resolve"/>, but a missing region is an error that says how to set one.</summary>
    public static string ResolveRequired(Func<string, string?>? environment = null) =>
        Resolve(environment) ?? throw new AmazonClientException(
            "No AWS region is configured. Set AWS_REGION (or AWS_DEFAULT_REGION), or a region in your AWS profile.");
}
