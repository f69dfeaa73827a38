using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Tap.Aws.Credentials;

namespace Tap.LocalAws.Hosting;

/// <summary>Creates and rotates a secret through the Secrets Manager API, as LocalAws's admin. Values are generated here and never logged.</summary>
internal static class SecretProvisioner
{
    private const string ValueAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Creates the secret unless it exists, then reads its ARN and current version.</summary>
    /// <returns>Whether the secret was created (false: it was kept from an earlier run).</returns>
    public static async Task<bool> EnsureAsync(SecretsManagerSecretResource secret, CancellationToken cancellationToken)
    {
        using var client = await CreateClientAsync(secret, cancellationToken).ConfigureAwait(false);
        bool created;
        try
        {
            await client.CreateSecretAsync(
                new CreateSecretRequest { Name = secret.SecretName, SecretString = GeneratedValue(secret.Keys) }, cancellationToken).ConfigureAwait(false);
            created = true;
        }
        catch (ResourceExistsException)
        {
            created = false;
        }

        await DescribeAsync(client, secret, cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// Puts a new current version: every key of the current value and of the declaration, plus
    /// <paramref name="addedKeys"/>, each with a fresh generated value.
    /// </summary>
    public static async Task RotateAsync(SecretsManagerSecretResource secret, IReadOnlyCollection<string> addedKeys, CancellationToken cancellationToken)
    {
        using var client = await CreateClientAsync(secret, cancellationToken).ConfigureAwait(false);
        var current = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = secret.SecretName }, cancellationToken).ConfigureAwait(false);
        var keys = CurrentKeys(current.SecretString).Union(secret.Keys, StringComparer.Ordinal).Union(addedKeys, StringComparer.Ordinal).ToList();
        await client.PutSecretValueAsync(
            new PutSecretValueRequest { SecretId = secret.SecretName, SecretString = GeneratedValue(keys) }, cancellationToken).ConfigureAwait(false);
        await DescribeAsync(client, secret, cancellationToken).ConfigureAwait(false);
    }

    private static async Task DescribeAsync(AmazonSecretsManagerClient client, SecretsManagerSecretResource secret, CancellationToken cancellationToken)
    {
        var description = await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = secret.SecretName }, cancellationToken).ConfigureAwait(false);
        secret.Arn = description.ARN;
        secret.VersionId = description.VersionIdsToStages?.FirstOrDefault(v => v.Value.Contains("AWSCURRENT")).Key;
    }

    private static IEnumerable<string> CurrentKeys(string? secretString)
    {
        try
        {
            return secretString is not null && JsonNode.Parse(secretString) is JsonObject current ? [.. current.Select(p => p.Key)] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string GeneratedValue(IEnumerable<string> keys)
    {
        var value = new JsonObject();
        foreach (var key in keys)
        {
            value[key] = RandomNumberGenerator.GetString(ValueAlphabet, 32);
        }

        return value.ToJsonString();
    }

    /// <summary>As LocalAws's admin, or, for another backend, as the developer (the profile, else the SDK's default chain).</summary>
    private static async Task<AmazonSecretsManagerClient> CreateClientAsync(SecretsManagerSecretResource secret, CancellationToken cancellationToken)
    {
        var localAws = secret.Parent;
        var region = RegionEndpoint.GetBySystemName(secret.Region);
        if (secret.Backend is { } backend)
        {
            var credentials = backend.Profile is { } profile
                ? new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var found)
                    ? found
                    : throw new InvalidOperationException($"The AWS profile {profile} was not found.")
                : AwsCredentialsResolver.Resolve();
            return new AmazonSecretsManagerClient(credentials, new AmazonSecretsManagerConfig { RegionEndpoint = region, ServiceURL = backend.ServiceURL });
        }

        var admin = await localAws.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
        return new AmazonSecretsManagerClient(new BasicAWSCredentials(admin.AccessKey, admin.SecretKey), new AmazonSecretsManagerConfig { RegionEndpoint = region, ServiceURL = localAws.PrimaryEndpoint.Url });
    }
}
