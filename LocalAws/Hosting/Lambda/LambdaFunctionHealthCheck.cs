using System.Globalization;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// A Lambda function is healthy while LocalAws sees one of its execution environments idle or busy; each check also
/// shows the environments' state on the resource in the dashboard.
/// </summary>
internal sealed class LambdaFunctionHealthCheck(
    LocalAwsResource localAws, LambdaProjectResource function, LocalAwsFunctionAnnotation settings, IHttpClientFactory httpClients, ResourceNotificationService notifications) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var url = new Uri($"{localAws.PrimaryEndpoint.Url}{LocalAwsFunctionSettings.HealthPathPrefix}/{Uri.EscapeDataString(settings.FunctionName)}");
        using var client = httpClients.CreateClient();
        try
        {
            using var response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            if (!response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? true)
            {
                return HealthCheckResult.Unhealthy($"LocalAws does not serve function {settings.FunctionName} (HTTP {(int)response.StatusCode}).");
            }

            using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var state = status.RootElement.GetProperty("state").GetString() ?? "Unknown";
            var environments = status.RootElement.GetProperty("environments").EnumerateArray().ToList();
            var busy = environments.Count(e => e.GetProperty("busy").GetBoolean());
            var invocations = environments.Sum(e => e.GetProperty("invocations").GetInt32());
            await notifications.PublishUpdateAsync(function, snapshot => snapshot with
            {
                Properties = WithProperties(snapshot.Properties,
                    new("lambda.state", state) { DisplayName = "Lambda state" },
                    new("lambda.environments", string.Create(CultureInfo.InvariantCulture, $"{environments.Count} ({busy} busy)")) { DisplayName = "Execution environments" },
                    new("lambda.invocations", invocations.ToString(CultureInfo.InvariantCulture)) { DisplayName = "Invocations" }),
            }).ConfigureAwait(false);

            var description = string.Create(CultureInfo.InvariantCulture, $"{state}: {environments.Count} execution environment(s), {busy} busy");
            return response.IsSuccessStatusCode ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description);
        }
        catch (HttpRequestException ex)
        {
            return HealthCheckResult.Unhealthy("LocalAws cannot be reached.", ex);
        }
    }

    private static System.Collections.Immutable.ImmutableArray<ResourcePropertySnapshot> WithProperties(
        System.Collections.Immutable.ImmutableArray<ResourcePropertySnapshot> properties, params ResourcePropertySnapshot[] updates)
    {
        var names = updates.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        return [.. properties.Where(p => !names.Contains(p.Name)), .. updates];
    }
}
