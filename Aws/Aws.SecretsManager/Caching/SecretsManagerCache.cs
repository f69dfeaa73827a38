using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.Logging;

namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>
/// An in-memory secret cache in the spirit of the AWS secrets cache: values are served from memory until their TTL,
/// then refreshed by exactly one call however many readers are waiting (single flight). A refresh picks up a new
/// <c>AWSCURRENT</c> version (rotation). When a refresh fails, the last good value is served for a bounded grace
/// period and the failure is logged. Values never reach a log.
/// </summary>
public sealed partial class SecretsManagerCache(
    IAmazonSecretsManager client,
    SecretCacheConfiguration configuration,
    TimeProvider clock,
    ILogger<SecretsManagerCache> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The secret's string value, as the AWS cache's <c>GetSecretString</c>.</summary>
    public async Task<string?> GetSecretString(string secretId, CancellationToken cancellationToken = default) =>
        (await GetCachedSecretAsync(secretId, cancellationToken).ConfigureAwait(false)).SecretString;

    /// <summary>The cached secret, refreshed first if its TTL has passed.</summary>
    public Task<CachedSecret> GetCachedSecretAsync(string secretId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretId);
        var entry = _entries.GetOrAdd(secretId, static _ => new Entry());

        Task<CachedSecret> refresh;
        lock (entry)
        {
            if (entry.Value is { } fresh && clock.GetUtcNow() - entry.LoadedAt < configuration.CacheItemTTL)
            {
                return Task.FromResult(fresh);
            }

            refresh = entry.Refresh ??= RefreshAsync(secretId, entry);
        }

        // Each reader may give up waiting; the shared refresh itself is never cancelled by one reader.
        return refresh.WaitAsync(cancellationToken);
    }

    private async Task<CachedSecret> RefreshAsync(string secretId, Entry entry)
    {
        // Return to the caller (which stores this task under the lock) before doing any work.
        await Task.Yield();
        try
        {
            var response = await client.GetSecretValueAsync(
                new GetSecretValueRequest { SecretId = secretId, VersionStage = configuration.VersionStage },
                CancellationToken.None).ConfigureAwait(false);
            var secret = new CachedSecret(response.ARN, response.Name, response.VersionId, response.SecretString);
            lock (entry)
            {
                var previousVersion = entry.Value?.VersionId;
                entry.Value = secret;
                entry.LoadedAt = clock.GetUtcNow();
                entry.Refresh = null;
                if (previousVersion is not null && previousVersion != secret.VersionId)
                {
                    LogRotated(secretId, previousVersion, secret.VersionId);
                }
            }

            LogLoaded(secretId, secret.VersionId);
            return secret;
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException or TaskCanceledException)
        {
            lock (entry)
            {
                entry.Refresh = null;
                if (entry.Value is { } stale && clock.GetUtcNow() - entry.LoadedAt < configuration.CacheItemTTL + configuration.StaleValueGracePeriod)
                {
                    LogServingStale(ex, secretId, stale.VersionId, ErrorCode(ex));
                    return stale;
                }
            }

            LogRefreshFailed(ex, secretId, ErrorCode(ex));
            throw;
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
    private partial void LogRefreshFailed(Exception exception, string secretId, string errorCode);

    private sealed class Entry
    {
        public CachedSecret? Value { get; set; }

        public DateTimeOffset LoadedAt { get; set; }

        public Task<CachedSecret>? Refresh { get; set; }
    }
}
