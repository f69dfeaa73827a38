namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>The cache's settings, with the official caching library's names, types, units and defaults.</summary>
public class SecretCacheConfiguration
{
#pragma warning disable CA1707 // The official library's constant names.
    /// <summary>The most secrets held at once.</summary>
    public const ushort DEFAULT_MAX_CACHE_SIZE = 1024;

    /// <summary>The version stage read.</summary>
    public const string DEFAULT_VERSION_STAGE = "AWSCURRENT";

    /// <summary>One hour, in milliseconds.</summary>
    public const uint DEFAULT_CACHE_ITEM_TTL = 3600000;
#pragma warning restore CA1707

    /// <summary>How long, in milliseconds, a loaded secret is served before it is loaded again.</summary>
    public uint CacheItemTTL { get; set; } = DEFAULT_CACHE_ITEM_TTL;

    /// <summary>The most secrets held at once; past it, the longest-held are dropped.</summary>
    public ushort MaxCacheSize { get; set; } = DEFAULT_MAX_CACHE_SIZE;

    /// <summary>The version stage read (default <c>AWSCURRENT</c>).</summary>
    public string VersionStage { get; set; } = DEFAULT_VERSION_STAGE;

    /// <summary>The client to use when the cache is constructed without one.</summary>
    public IAmazonSecretsManager? Client { get; set; }

    /// <summary>Transforms what is stored (for example, to encrypt it in memory).</summary>
    public ISecretCacheHook? CacheHook { get; set; }
}
