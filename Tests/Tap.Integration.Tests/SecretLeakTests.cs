using Amazon.SecretsManager.Model;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Hosting;

namespace Tap.Integration.Tests;

/// <summary>No secret value, secret access key or credentials token appears in what the dashboard shows or the API answers.</summary>
[Trait("Category", "Process")]
public sealed class SecretLeakTests(TapAppFixture fixture)
{
    [Fact]
    public async Task No_secret_appears_in_console_logs_structured_logs_spans_resource_properties_or_responses()
    {
        // Exercise the paths that touch secrets: a rotation, a fetch after the cache TTL, a signed call.
        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var secret = fixture.Resource<SecretsManagerSecretResource>(TapAppFixture.SecretResourceName);
        Assert.True((await commands.ExecuteCommandAsync(secret, SecretsManagerSecretBuilderExtensions.RotateCommandName, CancellationToken.None)).Success);
        await Task.Delay(TapAppFixture.SecretCacheTtl + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var answers = new List<string>();
        using (var signed = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region))
        using (var unsigned = new HttpClient())
        {
            foreach (var (client, path) in new[] { (signed, "leak-check"), (signed, ""), (signed, "orders/42"), (signed, "health"), (unsigned, "orders/42") })
            {
                using var response = await client.GetAsync(fixture.StageUrl(path), TestContext.Current.CancellationToken);
                answers.Add($"{response.Headers}{response.Content.Headers}{await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
            }
        }

        var secrets = await SecretsAsync();
        var shown = await ShownTextAsync();
        shown.AddRange(answers);

        Assert.NotEmpty(shown);
        foreach (var value in secrets)
        {
            Assert.DoesNotContain(shown, text => text.Contains(value, StringComparison.Ordinal));
        }
    }

    /// <summary>Every value of every version of the secret, the users' secret keys, the role's token and session key.</summary>
    private async Task<List<string>> SecretsAsync()
    {
        var values = new List<string>();
        using var admin = SecretsManagerClients.Create(fixture, await fixture.AdminCredentialsAsync());
        var versions = await admin.ListSecretVersionIdsAsync(new ListSecretVersionIdsRequest { SecretId = fixture.SecretName, IncludeDeprecated = true });
        foreach (var version in versions.Versions!)
        {
            // The stack's first version holds empty placeholders for the keys CloudFormation does not generate.
            values.AddRange((await SecretsManagerClients.SecretValuesAsync(fixture, version.VersionId)).Where(value => value.Length > 0));
        }

        values.Add((await fixture.AdminCredentialsAsync()).SecretKey);
        values.Add((await fixture.InvokerCredentialsAsync()).SecretKey);
        values.Add((await fixture.FunctionRoleCredentialsAsync()).SecretKey);
        values.Add(await fixture.FunctionRoleTokenAsync());
        Assert.All(values, value => Assert.True(value.Length >= 16, "a secret this short could match by chance"));
        return values;
    }

    /// <summary>Each resource's console output, the dashboard's structured logs and spans, and the resources' (non-sensitive) properties and environment.</summary>
    private async Task<List<string>> ShownTextAsync()
    {
        var shown = new List<string>();
        var logs = fixture.App.Services.GetRequiredService<ResourceLoggerService>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var instances = await fixture.AllInstanceStatesAsync();
        await Task.WhenAll(instances.Select(async instance =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(instance.Id).WithCancellation(enough.Token))
                {
                    lock (shown)
                    {
                        shown.AddRange(batch.Select(line => line.Content));
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // The backlog has been read; the stream only waits for more from here.
            }
        }));

        using var telemetry = fixture.Telemetry();
        shown.AddRange((await telemetry.LogsAsync()).SelectMany(log => log.Attributes.Values.Append(log.Body)));
        shown.AddRange((await telemetry.SpansAsync()).SelectMany(span => span.Attributes.Values.Append(span.Name)));
        foreach (var (_, _, snapshot) in instances)
        {
            // A secret parameter's value is a sensitive property: the dashboard masks it until asked to reveal it.
            shown.AddRange(snapshot.Properties.Where(p => !p.IsSensitive).Select(p => p.Value?.ToString() ?? string.Empty));
            shown.AddRange(snapshot.EnvironmentVariables.Select(e => e.Value ?? string.Empty));
        }

        return shown;
    }
}
