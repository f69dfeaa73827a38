using Amazon.SecretsManager.Model;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Hosting;

namespace Tap.Integration.Tests;

/// <summary>
/// A <c>.localaws/</c> an earlier version of the AppHost wrote holds <c>tap/api-config</c>, a secret it created
/// itself and no stack owns: the app says so, and what to run, and leaves it alone.
/// </summary>
[Trait("Category", "Process")]
[ResetsTheApp]
public sealed class SupersededSecretTests(TapAppFixture fixture)
{
    private const string EarlierSecret = "tap/api-config";
    private static readonly TimeSpan RestartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_secret_an_earlier_apphost_left_is_named_in_the_secrets_log_with_what_to_run_and_kept()
    {
        const string EarlierValue = """{"DATABASE_URL":"earlier-local-database-url"}""";
        using var admin = SecretsManagerClients.Create(fixture, await fixture.AdminCredentialsAsync());
        var earlier = await admin.CreateSecretAsync(new CreateSecretRequest { Name = EarlierSecret, SecretString = EarlierValue }, TestContext.Current.CancellationToken);
        var secret = fixture.Resource<SecretsManagerSecretResource>(TapAppFixture.SecretResourceName);
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        using var cts = new CancellationTokenSource(RestartTimeout);

        // Started again on the same state, as the next `dotnet run` would be: the stack is checked and its secret read back.
        Assert.True((await commands.ExecuteCommandAsync(fixture.LocalAws, KnownResourceCommands.RestartCommand, cts.Token)).Success);
        var warning = await WarningAsync(secret.Name, cts.Token);
        await fixture.App.ResourceNotifications.WaitForResourceAsync(secret.Name, KnownResourceStates.Running, cts.Token);
        Assert.Contains(earlier.ARN!, warning, StringComparison.Ordinal);
        Assert.Contains($"secretsmanager delete-secret --secret-id {EarlierSecret}", warning, StringComparison.Ordinal);
        Assert.Contains(fixture.SecretName, warning, StringComparison.Ordinal);
        Assert.DoesNotContain("earlier-local-database-url", warning, StringComparison.Ordinal);
        var kept = await admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = EarlierSecret }, TestContext.Current.CancellationToken);
        Assert.Equal(EarlierValue, kept.SecretString);
    }

    private async Task<string> WarningAsync(string resourceName, CancellationToken cancellationToken)
    {
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        await foreach (var batch in logs.WatchAsync(resourceName).WithCancellation(cancellationToken))
        {
            if (batch.Select(line => line.Content).FirstOrDefault(content => content.Contains("still holds", StringComparison.Ordinal)) is { } warning)
            {
                return warning;
            }
        }

        throw new InvalidOperationException($"{resourceName}'s log never said LocalAws still holds {EarlierSecret}.");
    }
}
