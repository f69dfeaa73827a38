using System.Runtime.ExceptionServices;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>
/// One cached secret. Its value is served from memory until <see cref="SecretCacheConfiguration.CacheItemTTL"/>
/// passes, then reloaded by exactly one call however many readers are waiting (single flight), which picks up a new
/// version after a rotation. When a reload fails, the last good value is served while it is within the stale-value
/// grace period (without limit unless one is set, as the official library does) and the failure is logged.
/// Values never reach a log: <see cref="ToString"/> names only the secret.
/// </summary>
public partial class SecretCacheItem
{
    private readonly string _secretId;
    private readonly IAmazonSecretsManager _client;
    private readonly SecretCacheConfiguration _config;
    private readonly TimeProvider _clock;
    private readonly TimeSpan? _staleValueGracePeriod;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private object? _stored;
    private DateTimeOffset _loadedAt;
    private Task<LoadOutcome>? _load;

    public SecretCacheItem(string secretId, IAmazonSecretsManager client, SecretCacheConfiguration config)
        : this(secretId, client, config, TimeProvider.System, staleValueGracePeriod: null, NullLogger.Instance)
    {
    }

    internal SecretCacheItem(
        string secretId, IAmazonSecretsManager client, SecretCacheConfiguration config, TimeProvider clock, TimeSpan? staleValueGracePeriod, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(config);
        _secretId = secretId;
        _client = client;
        _config = config;
        _clock = clock;
        _staleValueGracePeriod = staleValueGracePeriod;
        _logger = logger;
    }

    internal DateTimeOffset CreatedAt { get; init; }

    private TimeSpan Ttl => TimeSpan.FromMilliseconds(_config.CacheItemTTL);

    /// <summary>The cached <c>GetSecretValue</c> response, loaded first if absent or older than the TTL.</summary>
    public async Task<GetSecretValueResponse> GetSecretValue(CancellationToken cancellationToken)
    {
        Task<LoadOutcome> load;
        lock (_gate)
        {
            if (Current() is { } fresh && _clock.GetUtcNow() - _loadedAt < Ttl)
            {
                return fresh;
            }

            load = _load ??= LoadAsync();
        }

        // Each reader may give up waiting; the shared load itself is never cancelled by one reader.
        var outcome = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (outcome.Value is { } value)
        {
            return value;
        }

        ExceptionDispatchInfo.Throw(outcome.Error!);
        throw outcome.Error!;
    }

    /// <summary>Reloads the secret now (joining a load already under way); <see langword="true"/> when it succeeded.</summary>
    public async Task<bool> RefreshNowAsync(CancellationToken cancellationToken = default)
    {
        Task<LoadOutcome> load;
        lock (_gate)
        {
            load = _load ??= LoadAsync();
        }

        var outcome = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        return outcome.Error is null;
    }

    public override bool Equals(object? obj) => obj is SecretCacheItem other && string.Equals(_secretId, other._secretId, StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_secretId);

    public override string ToString() => $"SecretCacheItem: {_secretId}";

    private GetSecretValueResponse? Current() => _stored is null
        ? null
        : (GetSecretValueResponse)(_config.CacheHook?.Get(_stored) ?? _stored);

    private async Task<LoadOutcome> LoadAsync()
    {
        // Return to the caller (which stores this task under the lock) before doing any work.
        await Task.Yield();
        try
        {
            var response = await _client.GetSecretValueAsync(
                new GetSecretValueRequest { SecretId = _secretId, VersionStage = _config.VersionStage },
                CancellationToken.None).ConfigureAwait(false);
            string? previousVersion;
            lock (_gate)
            {
                previousVersion = Current()?.VersionId;
                _stored = _config.CacheHook?.Put(response) ?? response;
                _loadedAt = _clock.GetUtcNow();
                _load = null;
            }

            if (previousVersion is not null && previousVersion != response.VersionId)
            {
                LogRotated(_secretId, previousVersion, response.VersionId);
            }

            LogLoaded(_secretId, response.VersionId);
            return new LoadOutcome(response, null);
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException)
        {
            lock (_gate)
            {
                _load = null;
                if (Current() is { } stale
                    && (_staleValueGracePeriod is not { } grace || _clock.GetUtcNow() - _loadedAt < Ttl + grace))
                {
                    LogServingStale(ex, _secretId, stale.VersionId, ErrorCode(ex));
                    return new LoadOutcome(stale, ex);
                }
            }

            LogLoadFailed(ex, _secretId, ErrorCode(ex));
            return new LoadOutcome(null, ex);
        }
    }

    private static string ErrorCode(Exception ex) => ex is AmazonServiceException { ErrorCode: { } code } ? code : ex.GetType().Name;

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded secret {SecretId} version {VersionId}")]
    private partial void LogLoaded(string secretId, string? versionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Secret {SecretId} rotated from version {PreviousVersionId} to {VersionId}")]
    private partial void LogRotated(string secretId, string previousVersionId, string? versionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refreshing secret {SecretId} failed ({ErrorCode}); serving the last good version {VersionId} within its grace period")]
    private partial void LogServingStale(Exception exception, string secretId, string? versionId, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading secret {SecretId} failed ({ErrorCode}) and no usable cached version remains")]
    private partial void LogLoadFailed(Exception exception, string secretId, string errorCode);

    /// <summary>What one load gave: the value to serve (fresh, or stale within grace) and the failure, if any.</summary>
    private sealed record LoadOutcome(GetSecretValueResponse? Value, Exception? Error);
}
