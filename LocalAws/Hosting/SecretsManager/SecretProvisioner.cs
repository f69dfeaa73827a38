using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.Hosting;

/// <summary>Creates, fills and rotates a secret through the Secrets Manager API, as LocalAws's admin. Values are generated here and never logged.</summary>
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
    /// Reads the secret a stack deployed (by ARN) and gives each key the stack left empty a generated value in a new
    /// current version, as a developer fills them after deploying (CloudFormation generates at most one key).
    /// </summary>
    /// <returns>How many keys were filled.</returns>
    public static async Task<int> FillDeployedAsync(SecretsManagerSecretResource secret, string arn, CancellationToken cancellationToken)
    {
        using var client = await CreateClientAsync(secret, cancellationToken).ConfigureAwait(false);
        var current = await client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = arn }, cancellationToken).ConfigureAwait(false);
        var value = Parse(current.SecretString) ?? throw new InvalidOperationException($"Secret {arn} holds no JSON object.");
        var empty = value.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length == 0).Select(p => p.Key).ToList();
        if (empty.Count > 0)
        {
            foreach (var key in empty)
            {
                value[key] = RandomNumberGenerator.GetString(ValueAlphabet, 32);
            }

            await client.PutSecretValueAsync(new PutSecretValueRequest { SecretId = arn, SecretString = value.ToJsonString() }, cancellationToken).ConfigureAwait(false);
        }

        secret.Keys = [.. value.Select(p => p.Key)];
        var description = await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = arn }, cancellationToken).ConfigureAwait(false);
        secret.SecretName = description.Name ?? secret.SecretName;
        await DescribeAsync(client, secret, cancellationToken).ConfigureAwait(false);
        return empty.Count;
    }

    /// <summary>The ARN of the secret named <paramref name="secretName"/> in LocalAws, or null when there is none.</summary>
    public static async Task<string?> FindAsync(SecretsManagerSecretResource secret, string secretName, CancellationToken cancellationToken)
    {
        using var client = await CreateClientAsync(secret, cancellationToken).ConfigureAwait(false);
        try
        {
            return (await client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = secretName }, cancellationToken).ConfigureAwait(false)).ARN;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
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

    private static IEnumerable<string> CurrentKeys(string? secretString) => Parse(secretString)?.Select(p => p.Key) ?? [];

    private static JsonObject? Parse(string? secretString)
    {
        try
        {
            return secretString is not null ? JsonNode.Parse(secretString) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
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

    /// <summary>As LocalAws's admin.</summary>
    private static async Task<AmazonSecretsManagerClient> CreateClientAsync(SecretsManagerSecretResource secret, CancellationToken cancellationToken)
    {
        var localAws = secret.Parent;
        var region = RegionEndpoint.GetBySystemName(secret.Region);
        var admin = await localAws.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
        return new AmazonSecretsManagerClient(new BasicAWSCredentials(admin.AccessKey, admin.SecretKey), new AmazonSecretsManagerConfig { RegionEndpoint = region, ServiceURL = localAws.PrimaryEndpoint.Url });
    }
}
