using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Hosting;

namespace Tap.Integration.Tests;

/// <summary>The dashboard's "Rotate secret" command reaches the Function once its secret cache expires.</summary>
[Trait("Category", "Process")]
public sealed class RotationTests(TapAppFixture fixture)
{
    [Fact]
    public async Task A_rotation_that_adds_a_key_reaches_the_function_after_the_cache_ttl()
    {
        var secret = fixture.Resource<SecretsManagerSecretResource>(TapAppFixture.SecretResourceName);
        var before = secret.VersionId;
        var addedKey = "ROTATED_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);
        Assert.DoesNotContain(addedKey, await KeysAsync(client));

        var commands = fixture.App.Services.GetRequiredService<ResourceCommandService>();
        var result = await commands.ExecuteCommandAsync(
            secret,
            SecretsManagerSecretBuilderExtensions.RotateCommandName,
            new InteractionInputCollection([new InteractionInput { Name = SecretsManagerSecretBuilderExtensions.AddKeysArgument, InputType = InputType.Text, Value = addedKey }]),
            CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.NotEqual(before, secret.VersionId);
        var deadline = DateTime.UtcNow + TapAppFixture.SecretCacheTtl + TimeSpan.FromSeconds(20);
        IReadOnlyList<string> keys;
        do
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
            keys = await KeysAsync(client);
        }
        while (!keys.Contains(addedKey) && DateTime.UtcNow < deadline);

        Assert.Contains(addedKey, keys);
    }

    private async Task<IReadOnlyList<string>> KeysAsync(HttpClient client)
    {
        using var response = await client.GetAsync(fixture.StageUrl("config"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. json.RootElement.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()!)];
    }
}
