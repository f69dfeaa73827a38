using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Iam.Entities;

/// <summary>
/// The roles, users and customer managed policies made through IAM's API, durable with a data directory (one file
/// each in <c>iam/</c>), and the principals they are for request evaluation: a role's or user's policies are its
/// inline ones and the default versions of those attached, as they are at the time of the request.
/// </summary>
internal sealed class IamStore : IManagedPrincipals, IDisposable
{
    private readonly RecordStore<IamRole> _roles;
    private readonly RecordStore<IamUser> _users;
    private readonly RecordStore<ManagedPolicy> _policies;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IamPrincipal> _principals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyDocument?> _documents = new(StringComparer.Ordinal);
    private Dictionary<string, (string UserArn, string Secret)>? _keys;

    public IamStore(string? dataDirectory, ILogger<IamStore> logger)
    {
        _roles = new(dataDirectory, Path.Combine("iam", "roles"), ".role", format: 1, r => Key(r.Name), _ => null, logger);
        _users = new(dataDirectory, Path.Combine("iam", "users"), ".user", format: 1, u => Key(u.Name), _ => null, logger);
        _policies = new(dataDirectory, Path.Combine("iam", "policies"), ".policy", format: 1, p => p.Arn, p => p.Versions.Count > 0 ? null : "it holds no version", logger);
    }

    /// <summary>IAM names are unique regardless of case.</summary>
    public static string Key(string name) => name.ToUpperInvariant();

    public IamRole? Role(string name) => _roles.Find(Key(name));

    public IReadOnlyList<IamRole> Roles() => _roles.All();

    public IamUser? User(string name) => _users.Find(Key(name));

    /// <summary>A customer managed policy by ARN, or an AWS managed one LocalAws knows.</summary>
    public ManagedPolicy? Policy(string arn) => _policies.Find(arn) ?? AwsManagedPolicies.Find(arn);

    public TResult ChangeRole<TResult>(string name, Func<IamRole?, (IamRole? Next, TResult Result)> change) => Changed(() => _roles.Change(Key(name), change));

    public TResult ChangeUser<TResult>(string name, Func<IamUser?, (IamUser? Next, TResult Result)> change) => Changed(() => _users.Change(Key(name), change));

    public TResult ChangePolicy<TResult>(string arn, Func<ManagedPolicy?, (ManagedPolicy? Next, TResult Result)> change) => Changed(() => _policies.Change(arn, change));

    /// <summary>How many roles and users a customer managed policy is attached to.</summary>
    public int AttachmentCount(string policyArn) =>
        _roles.All().Count(r => r.AttachedPolicies.Contains(policyArn)) + _users.All().Count(u => u.AttachedPolicies.Contains(policyArn));

    public IamPrincipal? FindPrincipal(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        lock (_gate)
        {
            if (_principals.TryGetValue(arn, out var cached))
            {
                return cached;
            }
        }

        var name = arn[(arn.LastIndexOf('/') + 1)..];
        IamPrincipal? principal = arn.Contains(":role/", StringComparison.Ordinal) && Role(name) is { } role && role.Arn == arn
            ? new IamPrincipal(role.Name, role.Arn, null, null, Policies(role.InlinePolicies, role.AttachedPolicies), null, role.MaxSessionDuration)
            {
                TrustPolicy = PolicyDocument.Parse(role.TrustPolicy),
            }
            : arn.Contains(":user/", StringComparison.Ordinal) && User(name) is { } user && user.Arn == arn
                ? new IamPrincipal(user.Name, user.Arn, null, null, Policies(user.InlinePolicies, user.AttachedPolicies), null, 0)
                : null;
        if (principal is not null)
        {
            lock (_gate)
            {
                _principals[arn] = principal;
            }
        }

        return principal;
    }

    public PolicyDocument? FindPolicy(string policyArn)
    {
        ArgumentNullException.ThrowIfNull(policyArn);
        lock (_gate)
        {
            if (_documents.TryGetValue(policyArn, out var cached))
            {
                return cached;
            }
        }

        var document = Policy(policyArn) is { } policy ? PolicyDocument.Parse(policy.DefaultVersion.Document) : null;
        lock (_gate)
        {
            _documents[policyArn] = document;
        }

        return document;
    }

    public (IamPrincipal User, string SecretAccessKey)? FindAccessKey(string accessKeyId)
    {
        Dictionary<string, (string UserArn, string Secret)> keys;
        lock (_gate)
        {
            keys = _keys ??= _users.All().SelectMany(u => u.AccessKeys.Where(k => k.IsActive).Select(k => (k.AccessKeyId, u.Arn, k.SecretAccessKey)))
                .ToDictionary(k => k.AccessKeyId, k => (k.Arn, k.SecretAccessKey), StringComparer.Ordinal);
        }

        return keys.TryGetValue(accessKeyId, out var key) && FindPrincipal(key.UserArn) is { } user ? (user, key.Secret) : null;
    }

    public void Dispose()
    {
        _roles.Dispose();
        _users.Dispose();
        _policies.Dispose();
    }

    private List<PolicyDocument> Policies(IReadOnlyDictionary<string, string> inline, IReadOnlyList<string> attached) =>
        [.. inline.Values.Concat(attached.Select(arn => Policy(arn)?.DefaultVersion.Document).OfType<string>()).Select(PolicyDocument.Parse)];

    /// <summary>Makes a change, then forgets every principal built before it (a policy's change reaches every role it is attached to).</summary>
    private TResult Changed<TResult>(Func<TResult> change)
    {
        var result = change();
        lock (_gate)
        {
            _principals.Clear();
            _documents.Clear();
            _keys = null;
        }

        return result;
    }
}
