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

    /// <summary>The length of a signature in hex.</summary>
    public const int SignatureLength = 2 * HMACSHA256.HashSizeInBytes;

    /// <summary>The lower-case hex signature of a string to sign.</summary>
    public static string Sign(byte[] signingKey, string stringToSign)
    {
        Span<char> signature = stackalloc char[SignatureLength];
        Sign(signingKey, stringToSign, signature);
        return new string(signature);
    }

    /// <summary>The lower-case hex signature of a string to sign, into <paramref name="signature"/> (<see cref="SignatureLength"/> characters).</summary>
    public static void Sign(byte[] signingKey, ReadOnlySpan<char> stringToSign, Span<char> signature)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Utf8Bytes.HmacSha256(signingKey, stringToSign, mac);
        Convert.TryToHexStringLower(mac, signature, out _);
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));
}
