namespace Tap.Aws.SecretsManager;

/// <summary>What Tap's cache registration adds to <see cref="Amazon.SecretsManager.Extensions.Caching.SecretCacheConfiguration"/>.</summary>
public sealed class TapSecretCacheOptions
{
    /// <summary>
    /// After the TTL, how long the last good value may still be served while reloads fail (default 15 minutes); past
    /// that, a failing reload fails the caller. <see langword="null"/> serves it without limit, as the official library does.
    /// </summary>
    public TimeSpan? StaleValueGracePeriod { get; set; } = TimeSpan.FromMinutes(15);
}
