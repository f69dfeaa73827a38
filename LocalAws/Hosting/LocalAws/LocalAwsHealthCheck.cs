using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// LocalAws is healthy when its <c>/health</c> answers 200. While it is still starting (nothing listening yet) the
/// check keeps asking for a few seconds, so what waits for LocalAws starts the moment it serves rather than on the
/// health service's next round (1, 2, then 3 seconds apart).
/// </summary>
internal sealed class LocalAwsHealthCheck(LocalAwsResource localAws, IHttpClientFactory httpClients, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan StartingPatience = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var url = new Uri($"{localAws.PrimaryEndpoint.Url}/health");
        using var client = httpClients.CreateClient();
        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy($"LocalAws's /health answered HTTP {(int)response.StatusCode}.");
            }
            catch (HttpRequestException) when (time.GetElapsedTime(started) < StartingPatience)
            {
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                return HealthCheckResult.Unhealthy("LocalAws cannot be reached.", ex);
            }
        }
    }
}
