using Tap.Aws.Protocol;

namespace Tap.Aws.Endpoints;

/// <summary>
/// Service endpoints as the AWS SDKs resolve them: <c>AWS_ENDPOINT_URL_{SERVICE_ID}</c>, then
/// <c>AWS_ENDPOINT_URL</c>, then the public endpoint <c>https://{prefix}.{region}.amazonaws.com</c>.
/// </summary>
public static class AwsEndpointResolver
{
    /// <param name="service">The service (its endpoint variable and host prefix).</param>
    /// <param name="region">The region.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public static Uri Resolve(AwsServiceMetadata service, string region, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        environment ??= Environment.GetEnvironmentVariable;
        var configured = environment(service.EndpointVariable) is { Length: > 0 } serviceUrl
            ? serviceUrl
            : environment("AWS_ENDPOINT_URL");

        return configured is { Length: > 0 }
            ? new Uri(configured, UriKind.Absolute)
            : new Uri($"https://{service.SigningName}.{region}.amazonaws.com/");
    }
}
