using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Tap.Definition;
using Tap.LocalAws.Settings;

namespace Tap.Integration.Tests;

/// <summary>What the dashboard shows and does for the API and the function, through the same code paths.</summary>
[Trait("Category", "Process")]
public sealed class DashboardCommandTests(TapAppFixture fixture)
{
    [Fact]
    public async Task The_apis_invoke_command_sends_a_signed_request_and_reports_200()
    {
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();

        var result = await commands.ExecuteCommandAsync(fixture.Api, "invoke", CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Equal($"GET /{TapApplication.HttpApi.Stage}/ → 200 OK", result.Message);
    }

    [Fact]
    public async Task The_functions_execution_environments_show_on_its_resource()
    {
        var function = fixture.Resource<LambdaProjectResource>(TapApplication.Function.Name);
        using var client = new HttpClient();
        var health = new Uri($"{fixture.LocalAws.PrimaryEndpoint.Url}{LocalAwsFunctionSettings.HealthPathPrefix}/{fixture.FunctionName}");

        // Each process polls the Runtime API once it has started; the health checks then show it on the resource.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        int environments;
        string?[] shown;
        do
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            environments = (await client.GetFromJsonAsync<JsonElement>(health, cancellationToken: TestContext.Current.CancellationToken)).GetProperty("environments").GetArrayLength();
            shown = [.. (await fixture.InstanceStatesAsync(function)).Select(state => state.Properties.FirstOrDefault(p => p.Name == "lambda.environments")?.Value?.ToString())];
        }
        while ((environments != TapAppFixture.FunctionReplicas || shown.Length != TapAppFixture.FunctionReplicas
                || shown.Any(s => s?.StartsWith($"{TapAppFixture.FunctionReplicas} (", StringComparison.Ordinal) != true))
            && DateTime.UtcNow < deadline);

        // One environment per replica, and every replica's resource shows them all.
        Assert.Equal(TapAppFixture.FunctionReplicas, environments);
        Assert.Equal(TapAppFixture.FunctionReplicas, shown.Length);
        Assert.All(shown, s => Assert.StartsWith($"{TapAppFixture.FunctionReplicas} (", s, StringComparison.Ordinal));
    }
}
