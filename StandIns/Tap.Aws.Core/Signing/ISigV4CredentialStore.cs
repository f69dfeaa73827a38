using System.Diagnostics.CodeAnalysis;

namespace Tap.Aws.Signing;

/// <summary>Where a verifier looks up the secret key for an access key id.</summary>
public interface ISigV4CredentialStore
{
    /// <summary>
    /// Finds the secret access key for a key id. Temporary credentials are valid only with their session token,
    /// so the store must reject a temporary key presented without (or with the wrong) token.
    /// </summary>
    bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey);

    /// <summary>
    /// Whether the key is temporary, presented with its own session token, and past its expiry: AWS answers such a
    /// request with <c>ExpiredToken</c> rather than as an unknown key. A store without temporary keys keeps the default.
    /// </summary>
    bool HasExpired(string accessKeyId, string? sessionToken) => false;
}
