using System.Net;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Hosting;

namespace Tap.Integration.Tests;

/// <summary>LocalAws's "Reset local state" command: everything starts again from nothing, and the app works again.</summary>
[Trait("Category", "Process")]
[ResetsTheApp]
public sealed class ResetLocalStateTests(TapAppFixture fixture)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Reset_deletes_the_stacks_deploys_them_again_with_a_new_secret_and_the_api_answers_again()
    {
        var secret = fixture.Resource<SecretsManagerSecretResource>(TapAppFixture.SecretResourceName);
        var arnBefore = secret.Arn;
        var valuesBefore = await SecretsManagerClients.SecretValuesAsync(fixture);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        using var cts = new CancellationTokenSource(RecoveryTimeout);

        var result = await commands.ExecuteCommandAsync(fixture.LocalAws, "reset-state", cts.Token);

        Assert.True(result.Success, result.Message);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync(fixture.LocalAws.Name, cts.Token);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(
            secret.Name, e => e.Snapshot.State?.Text == KnownResourceStates.Running && secret.Arn != arnBefore, cts.Token);

        // The stack deployed again: a new secret (a new ARN suffix) with new generated values; nothing of the old state is left.
        Assert.NotEqual(arnBefore, secret.Arn);
        Assert.Equal(secret.Arn, fixture.StackOutput("SecretArn"));
        var valuesAfter = await SecretsManagerClients.SecretValuesAsync(fixture);
        Assert.Empty(valuesAfter.Intersect(valuesBefore));

        // The function's processes outlive LocalAws's restart: they poll the Runtime API again, and read the new
        // secret with their role's credentials once their cache expires.
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);
        var deadline = DateTime.UtcNow + RecoveryTimeout;
        HttpStatusCode status;
        bool configLoaded;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            (status, configLoaded) = await CallAsync(client);
        }
        while (!configLoaded && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(configLoaded);
    }

    private async Task<(HttpStatusCode Status, bool ConfigLoaded)> CallAsync(HttpClient client)
    {
        using var response = await client.GetAsync(fixture.StageUrl("after-reset"));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, false);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("configLoaded").GetBoolean());
    }
}
