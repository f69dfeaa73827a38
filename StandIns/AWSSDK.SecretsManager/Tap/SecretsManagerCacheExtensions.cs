using System.Runtime.CompilerServices;
using Amazon.SecretsManager.Extensions.Caching;
using Amazon.SecretsManager.Model;

namespace Tap.Aws.SecretsManager;

/// <summary>Tap's additions to any <see cref="ISecretsManagerCache"/>, ours or the official one.</summary>
public static class SecretsManagerCacheExtensions
{
    // Keyed by the cached response object: a cache hands out the same object until it reloads, so each version is
    // parsed once, and the parsed view goes when the cache drops the response.
    private static readonly ConditionalWeakTable<GetSecretValueResponse, SecretJson> Parsed = [];

    /// <summary>The secret's JSON object, parsed once per cached version.</summary>
    public static async Task<SecretJson> GetSecretJsonAsync(this ISecretsManagerCache cache, string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var response = await cache.GetCachedSecret(secretId).GetSecretValue(cancellationToken).ConfigureAwait(false);
        return Parsed.GetValue(response, SecretJson.From);
    }
}
