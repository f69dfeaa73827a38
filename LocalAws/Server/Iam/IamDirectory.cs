using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Iam;

/// <summary>
/// The emulated account's identities: configured users and roles, and the temporary sessions issued for roles.
/// It is the SigV4 verifier's key store: a temporary key is valid only with its own session token and until it expires.
/// </summary>
/// <param name="managed">The users and roles made through IAM's API at run time, if any.</param>
public sealed class IamDirectory(IReadOnlyList<IamPrincipal> principals, string accountId, TimeProvider clock, IManagedPrincipals? managed = null) : ISigV4CredentialStore
{
    private const string KeyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, IamPrincipal> _byAccessKey = principals
        .Where(p => p.AccessKeyId is not null)
        .ToDictionary(p => p.AccessKeyId!, StringComparer.Ordinal);

    /// <summary>An expired session is remembered this long, so its use is answered ExpiredToken, not as unknown.</summary>
    private static readonly TimeSpan ExpiredSessionMemory = TimeSpan.FromHours(12);

    /// <summary>A role's container session is handed out again while at least this much of it remains.</summary>
    private static readonly TimeSpan ContainerSessionReuse = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan ContainerSessionDuration = TimeSpan.FromHours(1);

    // Reads are lock-free; issuing and forgetting happen under the gate, oldest first, so neither scans all sessions.
    private readonly ConcurrentDictionary<string, TemporaryCredentials> _sessions = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _forgetOrder = new();
    private readonly Dictionary<string, TemporaryCredentials> _containerSessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string AccountId => accountId;

    public IReadOnlyList<IamPrincipal> Principals => principals;

    /// <summary>Sessions remembered (live, or expired within the last 12 hours).</summary>
    public int SessionCount => _sessions.Count;

    public bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey)
    {
        secretAccessKey = null;
        if (_byAccessKey.TryGetValue(accessKeyId, out var principal))
        {
            // A long-term key carries no session token.
            secretAccessKey = sessionToken is null ? principal.SecretAccessKey : null;
        }
        else if (accessKeyId.StartsWith("AKIA", StringComparison.Ordinal) && managed?.FindAccessKey(accessKeyId) is { } key)
        {
            secretAccessKey = sessionToken is null ? key.SecretAccessKey : null;
        }
        else if (FindSession(accessKeyId, sessionToken) is { } session && session.Expiration > clock.GetUtcNow())
        {
            secretAccessKey = session.SecretAccessKey;
        }

        return secretAccessKey is not null;
    }

    public bool HasExpired(string accessKeyId, string? sessionToken) =>
        FindSession(accessKeyId, sessionToken) is { } session && session.Expiration <= clock.GetUtcNow();

    /// <summary>The identity behind a verified access key; <see langword="null"/> for an unknown or expired one.</summary>
    public CallerIdentity? Identify(string accessKeyId)
    {
        if (_byAccessKey.TryGetValue(accessKeyId, out var principal))
        {
            return new CallerIdentity(principal.Arn, accountId, principal.UniqueId, WithAttached(principal));
        }

        if (accessKeyId.StartsWith("AKIA", StringComparison.Ordinal) && managed?.FindAccessKey(accessKeyId) is { } key)
        {
            return new CallerIdentity(key.User.Arn, accountId, key.User.UniqueId, key.User);
        }

        if (!_sessions.TryGetValue(accessKeyId, out var session) || session.Expiration <= clock.GetUtcNow())
        {
            return null;
        }

        // A session of a role made at run time acts with the role's policies as they are now, as in IAM; one whose
        // role was deleted acts with none.
        return managed is null ? session.Identity
            : FindConfigured(session.Identity.Principal.Arn) is { } configured ? session.Identity with { Principal = WithAttached(configured) }
            : session.Identity with { Principal = managed.FindPrincipal(session.Identity.Principal.Arn) ?? session.Identity.Principal with { Policies = [] } };
    }

    public IamPrincipal? FindRole(string roleArn) =>
        FindPrincipal(roleArn) is { IsRole: true } role ? role : null;

    /// <summary>A configured user or role, or one made through IAM's API, by ARN.</summary>
    public IamPrincipal? FindPrincipal(string arn) => FindConfigured(arn) is { } configured ? WithAttached(configured) : managed?.FindPrincipal(arn);

    /// <summary>
    /// Acts as a user or role without a request, as AWS services do on a principal's behalf: a user as itself, a role
    /// through a session named <paramref name="roleSessionName"/>; null when no such principal exists.
    /// </summary>
    public CallerIdentity? ActAs(string principalArn, string roleSessionName)
    {
        var principal = FindPrincipal(principalArn);
        return principal switch
        {
            null => null,
            { IsRole: true } => IssueSession(principal, roleSessionName, TimeSpan.FromHours(1)).Identity,
            _ => new CallerIdentity(principal.Arn, accountId, principal.UniqueId, principal),
        };
    }

    /// <summary>Issues credentials for a role session (AssumeRole semantics: <c>assumed-role/{role}/{session}</c>).</summary>
    public TemporaryCredentials IssueSession(IamPrincipal role, string sessionName, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(role);
        var identity = new CallerIdentity(
            $"arn:aws:sts::{accountId}:assumed-role/{role.ResourceName}/{sessionName}", accountId, $"{role.UniqueId}:{sessionName}", role);
        var credentials = new TemporaryCredentials(
            "ASIA" + RandomNumberGenerator.GetString(KeyAlphabet, 16),
            RandomNumberGenerator.GetString(SecretAlphabet, 40),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(96)),
            clock.GetUtcNow() + duration,
            identity);
        lock (_gate)
        {
            ForgetOldSessions();
            _sessions[credentials.AccessKeyId] = credentials;
            _forgetOrder.Enqueue(credentials.AccessKeyId, credentials.Expiration + ExpiredSessionMemory);
        }

        return credentials;
    }

    /// <summary>
    /// The role's credentials for the container credentials endpoint: the same session until less than half of it
    /// remains (SDKs poll this endpoint often; each poll need not mint a session), then a fresh one. The session is
    /// named <paramref name="sessionName"/> (a function's name, as Lambda names its sessions), or after the role.
    /// </summary>
    public TemporaryCredentials ContainerSession(IamPrincipal role, string? sessionName = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        var name = sessionName ?? "localaws-" + role.ResourceName;
        lock (_gate)
        {
            if (_containerSessions.TryGetValue(role.Arn + "/" + name, out var current) && current.Expiration - clock.GetUtcNow() > ContainerSessionReuse)
            {
                return current;
            }

            var fresh = IssueSession(role, name, ContainerSessionDuration);
            _containerSessions[role.Arn + "/" + name] = fresh;
            return fresh;
        }
    }

    /// <summary>A configured principal with the managed policies attached to it that exist now.</summary>
    private IamPrincipal WithAttached(IamPrincipal principal) =>
        principal.ManagedPolicyArns.Count == 0 || managed is null
            ? principal
            : principal with { Policies = [.. principal.Policies, .. principal.ManagedPolicyArns.Select(managed.FindPolicy).OfType<PolicyDocument>()] };

    private IamPrincipal? FindConfigured(string arn) => principals.FirstOrDefault(p => string.Equals(p.Arn, arn, StringComparison.Ordinal));

    private TemporaryCredentials? FindSession(string accessKeyId, string? sessionToken) =>
        _sessions.TryGetValue(accessKeyId, out var session)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(session.SessionToken), Encoding.UTF8.GetBytes(sessionToken ?? string.Empty))
            ? session
            : null;

    private void ForgetOldSessions()
    {
        var now = clock.GetUtcNow();
        while (_forgetOrder.TryPeek(out var key, out var forgetAt) && forgetAt <= now)
        {
            _forgetOrder.Dequeue();
            _sessions.TryRemove(key, out _);
        }
    }
}
