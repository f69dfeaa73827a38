namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>A client-side cache of Secrets Manager secrets.</summary>
public interface ISecretsManagerCache : IDisposable
{
    /// <summary>The cache item for <paramref name="secretId"/>, created (not yet loaded) when absent.</summary>
    SecretCacheItem GetCachedSecret(string secretId);

    /// <summary>The secret's binary value, from the cache until its TTL passes.</summary>
    Task<byte[]> GetSecretBinary(string secretId, CancellationToken cancellationToken = default);

    /// <summary>The secret's string value, from the cache until its TTL passes.</summary>
    Task<string> GetSecretString(string secretId, CancellationToken cancellationToken = default);

    /// <summary>Reloads the secret now; <see langword="true"/> when that succeeded.</summary>
    Task<bool> RefreshNowAsync(string secretId, CancellationToken cancellationToken = default);
}
