using System.Security.Cryptography;
using Amazon.Runtime;

namespace Tap.Testing;

/// <summary>Credentials in AWS's shapes, generated per test run: no key-shaped literal lives in the repository.</summary>
public static class TestCredentials
{
    private const string KeyIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><c>AKIA</c> (long-term) or <c>ASIA</c> (temporary) followed by 16 characters.</summary>
    public static string NewAccessKeyId(bool temporary = false) =>
        (temporary ? "ASIA" : "AKIA") + RandomNumberGenerator.GetString(KeyIdAlphabet, 16);

    /// <summary>A 40-character secret access key.</summary>
    public static string NewSecretAccessKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    /// <summary>Long-term credentials, or temporary ones with a session token.</summary>
    public static ImmutableCredentials New(bool temporary = false) => new(
        NewAccessKeyId(temporary),
        NewSecretAccessKey(),
        temporary ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) : null);
}
