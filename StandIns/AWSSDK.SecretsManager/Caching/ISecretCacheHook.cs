namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>Transforms what the cache stores and returns, e.g. to encrypt values at rest in memory.</summary>
public interface ISecretCacheHook
{
    /// <summary>Called with each object before it is stored; returns what to store.</summary>
    object Put(object o);

    /// <summary>Called with each stored object before it is returned; returns the original object.</summary>
#pragma warning disable CA1716 // The official library's name.
    object Get(object cachedObject);
#pragma warning restore CA1716
}
