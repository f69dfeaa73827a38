using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Tap.Aws.Signing;

/// <summary>
/// Derives SigV4 signing keys (HMAC chain over date, region, service and terminator) and computes signatures.
/// A derived key is valid for one day, region and service, so it is cached per (secret, scope).
/// </summary>
public static class SigningKey
{
    private const int MaxCachedKeys = 256;
    private static readonly ConcurrentDictionary<(string Secret, CredentialScope Scope), byte[]> Cache = new();

    public static byte[] Derive(string secretAccessKey, CredentialScope scope)
    {
        ArgumentNullException.ThrowIfNull(secretAccessKey);
        ArgumentNullException.ThrowIfNull(scope);

        if (Cache.TryGetValue((secretAccessKey, scope), out var cached))
        {
            return cached;
        }

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), scope.Date);
        key = Hmac(key, scope.Region);
        key = Hmac(key, scope.Service);
        key = Hmac(key, SigV4Constants.Terminator);

        // Keys change daily; a bounded cache that is simply emptied when full keeps memory flat without a timer.
        if (Cache.Count >= MaxCachedKeys)
        {
            Cache.Clear();
        }

        Cache[(secretAccessKey, scope)] = key;
        return key;
    }

    /// <summary>The lower-case hex signature of a string to sign.</summary>
    public static string Sign(byte[] signingKey, string stringToSign) =>
        Utf8Bytes.Use(stringToSign, signingKey, static (bytes, key) =>
        {
            Span<byte> signature = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, bytes, signature);
            return Convert.ToHexStringLower(signature);
        });

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
