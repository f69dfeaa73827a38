using System.Diagnostics.CodeAnalysis;
using Tap.Aws.Signing;

namespace Tap.Aws.Core.Tests;

/// <summary>Access key id → secret; a key registered with a token only verifies with that token.</summary>
public sealed class InMemoryCredentialStore : Dictionary<string, string>, ISigV4CredentialStore
{
    public Dictionary<string, string> SessionTokens { get; } = new(StringComparer.Ordinal);

    public bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey)
    {
        if (SessionTokens.TryGetValue(accessKeyId, out var expected) && !string.Equals(expected, sessionToken, StringComparison.Ordinal))
        {
            secretAccessKey = null;
            return false;
        }

        return TryGetValue(accessKeyId, out secretAccessKey);
    }
}
