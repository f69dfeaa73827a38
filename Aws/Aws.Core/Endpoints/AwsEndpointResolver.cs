namespace Tap.Aws.Endpoints;

/// <summary>
/// Service endpoints as the AWS SDKs resolve them: <c>AWS_ENDPOINT_URL_{SERVICE_ID}</c>, then
/// <c>AWS_ENDPOINT_URL</c>, then the public endpoint <c>https://{prefix}.{region}.amazonaws.com</c>.
/// </summary>
public static class AwsEndpointResolver
{
    /// <param name="serviceId">The service id as the SDKs spell it in environment variables, e.g. <c>SECRETS_MANAGER</c>.</param>
    /// <param name="endpointPrefix">The hostname prefix, e.g. <c>secretsmanager</c>.</param>
    /// <param name="region">The region.</param>
    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public static Uri Resolve(string serviceId, string endpointPrefix, string region, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var configured = environment($"AWS_ENDPOINT_URL_{serviceId}") is { Length: > 0 } serviceUrl
            ? serviceUrl
            : environment("AWS_ENDPOINT_URL");

        return configured is { Length: > 0 }
            ? new Uri(configured, UriKind.Absolute)
            : new Uri($"https://{endpointPrefix}.{region}.amazonaws.com/");
    }
}
