using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Tap.Testing;

namespace Tap.Integration.Tests;

/// <summary>Secrets Manager clients for LocalAws as the app runs it.</summary>
internal static class SecretsManagerClients
{
    /// <summary>The values in one version of the configuration secret (the current one by default), read as LocalAws's admin.</summary>
    public static async Task<IReadOnlyList<string>> SecretValuesAsync(TapAppFixture fixture, string? versionId = null)
    {
        using var admin = Create(fixture, await fixture.AdminCredentialsAsync());
        var value = await admin.GetSecretValueAsync(new GetSecretValueRequest { SecretId = fixture.SecretName, VersionId = versionId });
        using var json = JsonDocument.Parse(value.SecretString!);
        return [.. json.RootElement.EnumerateObject().Select(p => p.Value.GetString()!)];
    }

    public static AmazonSecretsManagerClient Create(TapAppFixture fixture, ImmutableCredentials credentials)
    {
        return new AmazonSecretsManagerClient(credentials.ToAwsCredentials(), new AmazonSecretsManagerConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(fixture.Region),
            ServiceURL = fixture.LocalAws.PrimaryEndpoint.Url,
        });
    }
}
