using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>
/// An in-memory cache of secrets with the official caching library's API. Each secret is a
/// <see cref="SecretCacheItem"/>: served from memory until its TTL, then reloaded with one
/// <c>GetSecretValue</c> call for the configured version stage.
/// </summary>
public class SecretsManagerCache : ISecretsManagerCache
{
    private readonly ConcurrentDictionary<string, SecretCacheItem> _items = new(StringComparer.Ordinal);
    private readonly IAmazonSecretsManager _client;
    private readonly bool _ownsClient;
    private readonly SecretCacheConfiguration _config;
    private readonly TimeProvider _clock;
    private readonly TimeSpan? _staleValueGracePeriod;
    private readonly ILogger _logger;

    /// <summary>A cache over a client from the default credential chain and the environment's region.</summary>
    public SecretsManagerCache()
        : this(new SecretCacheConfiguration())
    {
    }

    public SecretsManagerCache(IAmazonSecretsManager secretsManager)
        : this(secretsManager, new SecretCacheConfiguration())
    {
    }

    /// <summary>A cache over <see cref="SecretCacheConfiguration.Client"/>, or a default client when it is unset.</summary>
    public SecretsManagerCache(SecretCacheConfiguration config)
        : this(config?.Client ?? new AmazonSecretsManagerClient(), config!, TimeProvider.System, staleValueGracePeriod: null, NullLogger.Instance)
    {
        _ownsClient = config?.Client is null;
    }

    public SecretsManagerCache(IAmazonSecretsManager secretsManager, SecretCacheConfiguration config)
        : this(secretsManager, config, TimeProvider.System, staleValueGracePeriod: null, NullLogger.Instance)
    {
    }

    internal SecretsManagerCache(
        IAmazonSecretsManager secretsManager, SecretCacheConfiguration config, TimeProvider clock, TimeSpan? staleValueGracePeriod, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(secretsManager);
        ArgumentNullException.ThrowIfNull(config);
        _client = secretsManager;
        _config = config;
        _clock = clock;
        _staleValueGracePeriod = staleValueGracePeriod;
        _logger = logger;
    }

    public SecretCacheItem GetCachedSecret(string secretId)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        if (_items.TryGetValue(secretId, out var item))
        {
            return item;
        }

        item = _items.GetOrAdd(secretId, id => new SecretCacheItem(id, _client, _config, _clock, _staleValueGracePeriod, _logger)
        {
            CreatedAt = _clock.GetUtcNow(),
        });
        TrimToSize();
        return item;
    }

    public async Task<string> GetSecretString(string secretId, CancellationToken cancellationToken = default) =>
        (await GetCachedSecret(secretId).GetSecretValue(cancellationToken).ConfigureAwait(false)).SecretString!;

    public async Task<byte[]> GetSecretBinary(string secretId, CancellationToken cancellationToken = default) =>
        (await GetCachedSecret(secretId).GetSecretValue(cancellationToken).ConfigureAwait(false)).SecretBinary?.ToArray()!;

    public Task<bool> RefreshNowAsync(string secretId, CancellationToken cancellationToken = default) =>
        GetCachedSecret(secretId).RefreshNowAsync(cancellationToken);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && _ownsClient)
        {
            _client.Dispose();
        }
    }

    /// <summary>Past <see cref="SecretCacheConfiguration.MaxCacheSize"/>, the longest-held secrets are dropped.</summary>
    private void TrimToSize()
    {
        while (_items.Count > _config.MaxCacheSize)
        {
            var oldest = _items.MinBy(pair => pair.Value.CreatedAt);
            _items.TryRemove(oldest);
        }
    }
}
