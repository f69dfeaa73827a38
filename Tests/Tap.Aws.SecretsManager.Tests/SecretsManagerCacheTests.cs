using Amazon.SecretsManager.Extensions.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tap.Testing;

namespace Tap.Aws.SecretsManager.Tests;

public sealed class SecretsManagerCacheTests : IDisposable
{
    private const string SecretId = "tap/api-config";

    private readonly FakeSecretsManager _service = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<SecretsManagerCache> _logger = new();
    private readonly SecretsManagerCache _cache;

    public SecretsManagerCacheTests()
    {
        _cache = new SecretsManagerCache(
            _service,
            new SecretCacheConfiguration { CacheItemTTL = TimeSpan.FromMinutes(5), StaleValueGracePeriod = TimeSpan.FromMinutes(15) },
            _clock,
            _logger);
    }

    [Fact]
    public async Task Json_is_parsed_once_and_exposes_keys()
    {
        var secret = await _cache.GetCachedSecretAsync(SecretId);

        Assert.True(secret.IsJsonObject);
        Assert.Equal(["API_KEY", "DATABASE_URL", "EXTERNAL_SERVICE_TOKEN"], secret.Keys);
        Assert.True(secret.TryGetValue("API_KEY", out var apiKey));
        Assert.Equal("k-123", apiKey);
        Assert.DoesNotContain("k-123", secret.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Values_are_served_from_memory_until_the_TTL()
    {
        await _cache.GetCachedSecretAsync(SecretId);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await _cache.GetCachedSecretAsync(SecretId);

        Assert.Equal(1, _service.GetSecretValueCalls);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _cache.GetCachedSecretAsync(SecretId);

        Assert.Equal(2, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_refresh()
    {
        _service.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var readers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => _cache.GetCachedSecretAsync(SecretId))).ToArray();
        await WaitUntilAsync(() => _service.GetSecretValueCalls > 0);
        await Task.Delay(50);
        _service.Gate.SetResult();
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, _service.GetSecretValueCalls);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public async Task A_rotated_version_is_picked_up_at_the_next_refresh()
    {
        var first = await _cache.GetCachedSecretAsync(SecretId);
        _service.VersionId = "v2";
        _service.SecretString = """{"API_KEY":"k-rotated"}""";

        var beforeTtl = await _cache.GetCachedSecretAsync(SecretId);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var afterTtl = await _cache.GetCachedSecretAsync(SecretId);

        Assert.Equal("v1", first.VersionId);
        Assert.Equal("v1", beforeTtl.VersionId);
        Assert.Equal("v2", afterTtl.VersionId);
        Assert.Equal(["API_KEY"], afterTtl.Keys);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("rotated from version v1 to v2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_refresh_serves_the_last_good_value_within_the_grace_period()
    {
        await _cache.GetCachedSecretAsync(SecretId);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(6));

        var stale = await _cache.GetCachedSecretAsync(SecretId);

        Assert.Equal("v1", stale.VersionId);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("InternalServiceError", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_grace_period_a_failed_refresh_fails_the_caller()
    {
        await _cache.GetCachedSecretAsync(SecretId);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(5 + 15));

        await Assert.ThrowsAnyAsync<Amazon.SecretsManager.AmazonSecretsManagerException>(() => _cache.GetCachedSecretAsync(SecretId));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task After_a_failure_the_next_read_tries_again_and_recovers()
    {
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        await Assert.ThrowsAnyAsync<Amazon.SecretsManager.AmazonSecretsManagerException>(() => _cache.GetCachedSecretAsync(SecretId));

        _service.Failure = null;
        var secret = await _cache.GetCachedSecretAsync(SecretId);

        Assert.Equal("v1", secret.VersionId);
        Assert.Equal(2, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task A_reader_that_gives_up_does_not_cancel_the_shared_refresh()
    {
        _service.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var cancelled = _cache.GetCachedSecretAsync(SecretId, impatient.Token);
        var patient = _cache.GetCachedSecretAsync(SecretId);
        await impatient.CancelAsync();
        _service.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("v1", (await patient).VersionId);
        Assert.Equal(1, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task Secret_values_never_reach_the_log()
    {
        await _cache.GetCachedSecretAsync(SecretId);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(6));
        await _cache.GetCachedSecretAsync(SecretId);

        var logged = string.Join('\n', _logger.Collector.GetSnapshot().Select(r => r.Message + r.Exception));
        Assert.NotEmpty(logged);
        foreach (var value in (string[])["k-123", "postgres://u:p@db/app", "t-456"])
        {
            Assert.DoesNotContain(value, logged, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _service.Dispose();

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }
}
