namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>How long cached secrets are trusted, named after the AWS secrets cache's configuration.</summary>
public sealed class SecretCacheConfiguration
{
    /// <summary>How long a value is served before it is refreshed (default 5 minutes).</summary>
    public TimeSpan CacheItemTTL { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// After the TTL, how long the last good value may still be served while refreshes fail (default 15 minutes).
    /// Past that, a failing refresh fails the caller.
    /// </summary>
    public TimeSpan StaleValueGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The version stage read (default <c>AWSCURRENT</c>).</summary>
    public string VersionStage { get; set; } = "AWSCURRENT";
}
