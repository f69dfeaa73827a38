using System.Runtime.CompilerServices;
using Amazon.SecretsManager.Extensions.Caching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Tap.Testing;

namespace Tap.Aws.SecretsManager.Tests;

public sealed class SecretsManagerCacheTests : IDisposable
{
    private static readonly string SecretId = Tap.Definition.TapApplication.Secret.Name;

    private readonly FakeSecretsManager _service = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<SecretsManagerCache> _logger = new();
    private readonly SecretsManagerCache _cache;

    public SecretsManagerCacheTests()
    {
        _cache = new SecretsManagerCache(
            _service,
            new SecretCacheConfiguration { CacheItemTTL = 5 * 60 * 1000 },
            _clock,
            staleValueGracePeriod: TimeSpan.FromMinutes(15),
            _logger);
    }

    [Fact]
    public async Task Json_is_parsed_once_and_exposes_keys()
    {
        var secret = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(secret.IsJsonObject);
        Assert.Equal(["API_KEY", "DATABASE_URL", "EXTERNAL_SERVICE_TOKEN"], secret.Keys);
        Assert.True(secret.TryGetValue("API_KEY", out var apiKey));
        Assert.Equal("k-123", apiKey);
        Assert.DoesNotContain("k-123", secret.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_defaults_are_the_official_librarys()
    {
        var configuration = new SecretCacheConfiguration();

        Assert.Equal(3_600_000u, configuration.CacheItemTTL);
        Assert.Equal((ushort)1024, configuration.MaxCacheSize);
        Assert.Equal("AWSCURRENT", configuration.VersionStage);
        Assert.Null(configuration.Client);
        Assert.Null(configuration.CacheHook);
    }

    [Fact]
    public async Task The_official_surface_serves_strings_from_the_cache()
    {
        var value = await _cache.GetSecretString(SecretId, TestContext.Current.CancellationToken);
        var again = await _cache.GetCachedSecret(SecretId).GetSecretValue(CancellationToken.None);

        Assert.Contains("API_KEY", value, StringComparison.Ordinal);
        Assert.Equal(value, again.SecretString);
        Assert.Equal(1, _service.GetSecretValueCalls);
        Assert.Equal($"SecretCacheItem: {SecretId}", _cache.GetCachedSecret(SecretId).ToString());
    }

    [Fact]
    public async Task RefreshNowAsync_reloads_before_the_TTL_and_reports_failure()
    {
        await _cache.GetSecretString(SecretId, TestContext.Current.CancellationToken);

        Assert.True(await _cache.RefreshNowAsync(SecretId, TestContext.Current.CancellationToken));
        Assert.Equal(2, _service.GetSecretValueCalls);

        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        Assert.False(await _cache.RefreshNowAsync(SecretId, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void MaxCacheSize_drops_the_longest_held_secret()
    {
        using var cache = new SecretsManagerCache(_service, new SecretCacheConfiguration { MaxCacheSize = 1 }, _clock, null, _logger);
        var first = cache.GetCachedSecret("first");
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.GetCachedSecret("second");

        Assert.NotSame(first, cache.GetCachedSecret("first"));
    }

    [Fact]
    public async Task The_cache_hook_sees_every_stored_value()
    {
        var hook = new CountingHook();
        using var cache = new SecretsManagerCache(_service, new SecretCacheConfiguration { CacheHook = hook });

        var value = await cache.GetSecretString(SecretId, TestContext.Current.CancellationToken);
        await cache.GetSecretString(SecretId, TestContext.Current.CancellationToken);

        Assert.Contains("API_KEY", value, StringComparison.Ordinal);
        Assert.Equal(1, hook.Puts);
        Assert.True(hook.Gets >= 1);
    }

    private sealed class CountingHook : ISecretCacheHook
    {
        public int Puts { get; private set; }

        public int Gets { get; private set; }

        public object Put(object o)
        {
            Puts++;
            return new StrongBox<object>(o);
        }

        public object Get(object cachedObject)
        {
            Gets++;
            return ((StrongBox<object>)cachedObject).Value!;
        }
    }

    [Fact]
    public async Task Values_are_served_from_memory_until_the_TTL()
    {
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(4));
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, _service.GetSecretValueCalls);

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_refresh()
    {
        _service.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var readers = Enumerable.Range(0, 50).Select(_ => Task.Run(() => _cache.GetSecretJsonAsync(SecretId))).ToArray();
        await WaitUntilAsync(() => _service.GetSecretValueCalls > 0);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        _service.Gate.SetResult();
        var results = await Task.WhenAll(readers);

        Assert.Equal(1, _service.GetSecretValueCalls);
        Assert.All(results, r => Assert.Same(results[0], r));
    }

    [Fact]
    public async Task A_rotated_version_is_picked_up_at_the_next_refresh()
    {
        var first = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _service.VersionId = "v2";
        _service.SecretString = """{"API_KEY":"k-rotated"}""";

        var beforeTtl = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(5));
        var afterTtl = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("v1", first.VersionId);
        Assert.Equal("v1", beforeTtl.VersionId);
        Assert.Equal("v2", afterTtl.VersionId);
        Assert.Equal(["API_KEY"], afterTtl.Keys);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Message.Contains("rotated from version v1 to v2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_refresh_serves_the_last_good_value_within_the_grace_period()
    {
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(6));

        var stale = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("v1", stale.VersionId);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning);
        Assert.Contains("InternalServiceError", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_grace_period_a_failed_refresh_fails_the_caller()
    {
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(5 + 15));

        await Assert.ThrowsAnyAsync<Amazon.SecretsManager.AmazonSecretsManagerException>(() => _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Error);
    }

    [Fact]
    public async Task After_a_failure_the_next_read_tries_again_and_recovers()
    {
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        await Assert.ThrowsAnyAsync<Amazon.SecretsManager.AmazonSecretsManagerException>(() => _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken));

        _service.Failure = null;
        var secret = await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("v1", secret.VersionId);
        Assert.Equal(2, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task A_reader_that_gives_up_does_not_cancel_the_shared_refresh()
    {
        _service.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var impatient = new CancellationTokenSource();

        var cancelled = _cache.GetSecretJsonAsync(SecretId, impatient.Token);
        var patient = _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        await impatient.CancelAsync();
        _service.Gate.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal("v1", (await patient).VersionId);
        Assert.Equal(1, _service.GetSecretValueCalls);
    }

    [Fact]
    public async Task Secret_values_never_reach_the_log()
    {
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);
        _service.Failure = FakeSecretsManager.ServiceError("InternalServiceError");
        _clock.Advance(TimeSpan.FromMinutes(6));
        await _cache.GetSecretJsonAsync(SecretId, cancellationToken: TestContext.Current.CancellationToken);

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
