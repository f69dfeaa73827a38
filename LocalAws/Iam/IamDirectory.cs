using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Iam;

/// <summary>
/// The emulated account's identities: configured users and roles, and the temporary sessions issued for roles.
/// It is the SigV4 verifier's key store: a temporary key is valid only with its own session token and until it expires.
/// </summary>
public sealed class IamDirectory(IReadOnlyList<IamPrincipal> principals, string accountId, TimeProvider clock) : ISigV4CredentialStore
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, IamPrincipal> _byAccessKey = principals
        .Where(p => p.AccessKeyId is not null)
        .ToDictionary(p => p.AccessKeyId!, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, TemporaryCredentials> _sessions = new(StringComparer.Ordinal);

    public string AccountId => accountId;

    public IReadOnlyList<IamPrincipal> Principals => principals;

    public bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey)
    {
        secretAccessKey = null;
        if (_byAccessKey.TryGetValue(accessKeyId, out var principal))
        {
            // A long-term key carries no session token.
            secretAccessKey = sessionToken is null ? principal.SecretAccessKey : null;
        }
        else if (_sessions.TryGetValue(accessKeyId, out var session)
            && CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(session.SessionToken), System.Text.Encoding.UTF8.GetBytes(sessionToken ?? string.Empty))
            && session.Expiration > clock.GetUtcNow())
        {
            secretAccessKey = session.SecretAccessKey;
        }

        return secretAccessKey is not null;
    }

    /// <summary>The identity behind a verified access key.</summary>
    public CallerIdentity? Identify(string accessKeyId)
    {
        if (_byAccessKey.TryGetValue(accessKeyId, out var principal))
        {
            return new CallerIdentity(principal.Arn, accountId, principal.UniqueId, principal);
        }

        return _sessions.TryGetValue(accessKeyId, out var session) ? session.Identity : null;
    }

    public IamPrincipal? FindRole(string roleArn) =>
        principals.FirstOrDefault(p => p.IsRole && string.Equals(p.Arn, roleArn, StringComparison.Ordinal));

    /// <summary>Issues credentials for a role session (AssumeRole semantics: <c>assumed-role/{role}/{session}</c>).</summary>
    public TemporaryCredentials IssueSession(IamPrincipal role, string sessionName, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(role);
        PurgeExpired();
        var identity = new CallerIdentity(
            $"arn:aws:sts::{accountId}:assumed-role/{role.ResourceName}/{sessionName}", accountId, $"{role.UniqueId}:{sessionName}", role);
        var credentials = new TemporaryCredentials(
            "ASIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16),
            RandomNumberGenerator.GetString(SecretAlphabet, 40),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            clock.GetUtcNow() + duration,
            identity);
        _sessions[credentials.AccessKeyId] = credentials;
        return credentials;
    }

    private void PurgeExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, session) in _sessions)
        {
            if (session.Expiration <= now)
            {
                _sessions.TryRemove(key, out _);
            }
        }
    }
}
