using System.Security.Cryptography;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// The secrets of the emulated account. Every operation runs under one lock, so concurrent writers see Secrets
/// Manager's semantics (no lost versions, idempotent tokens). With a data directory, each change is durable before
/// it is acknowledged; if writing fails, the change is undone in memory too and the caller gets an error.
/// Secrets past their recovery window are purged as AWS does.
/// </summary>
public sealed class SecretStore
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, SecretRecord> _byArn = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly FileSecretPersistence? _persistence;
    private readonly TimeProvider _clock;

    public SecretStore(string accountId, string region, TimeProvider clock, FileSecretPersistence? persistence = null)
    {
        AccountId = accountId;
        Region = region;
        _clock = clock;
        _persistence = persistence;
        foreach (var secret in persistence?.LoadAll() ?? [])
        {
            _byArn.Add(secret.Arn, secret);
        }
    }

    public string AccountId { get; }

    public string Region { get; }


    public IEnumerable<SecretRecord> All => _byArn.Values;

    /// <summary>Runs <paramref name="operation"/> with exclusive access to the store.</summary>
    public T Execute<T>(Func<SecretStore, T> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (_gate)
        {
            PurgeExpired();
            return operation(this);
        }
    }

    /// <summary>The ARN a new secret of this name gets: AWS appends a hyphen and 6 random characters.</summary>
    public string NewArn(string name) => $"{ArnPrefix}{name}-{RandomNumberGenerator.GetString(SuffixAlphabet, 6)}";

    /// <summary>The ARN an id names when no such secret exists (what IAM evaluates against).</summary>
    public string ArnFor(string secretId) => secretId.StartsWith("arn:", StringComparison.Ordinal) ? secretId : ArnPrefix + secretId;

    public SecretRecord? FindByName(string name) => _byArn.Values.FirstOrDefault(s => s.Name == name);

    /// <summary>Finds a secret by name, full ARN, or partial ARN (the ARN without its random suffix).</summary>
    public SecretRecord? Find(string secretId)
    {
        if (!secretId.StartsWith("arn:", StringComparison.Ordinal))
        {
            return FindByName(secretId);
        }

        return _byArn.TryGetValue(secretId, out var exact)
            ? exact
            : _byArn.Values.FirstOrDefault(s => s.Arn.Length == secretId.Length + 7 && s.Arn.StartsWith(secretId + "-", StringComparison.Ordinal));
    }

    public SecretRecord Get(string secretId) =>
        Find(secretId) ?? throw AwsServiceException.Json("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");

    public void Add(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _byArn.Add(secret.Arn, secret);
        Durably(() => _persistence?.Save(secret), undo: () => _byArn.Remove(secret.Arn));
    }

    /// <summary>Makes a change to <paramref name="secret"/> durable (call after every mutation).</summary>
    public void Save(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Durably(() => _persistence?.Save(secret), undo: () =>
        {
            // Put back what the disk holds, so memory never claims a change that was not stored.
            if (_persistence!.Load(secret.Arn) is { } stored)
            {
                _byArn[secret.Arn] = stored;
            }
        });
    }

    public void Remove(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _byArn.Remove(secret.Arn);
        Durably(() => _persistence?.Delete(secret.Arn), undo: () => _byArn[secret.Arn] = secret);
    }

    private void PurgeExpired()
    {
        var now = _clock.GetUtcNow().UtcDateTime;
        foreach (var expired in _byArn.Values.Where(s => s.DeletionDate <= now).ToList())
        {
            Remove(expired);
        }
    }

    private static void Durably(Action write, Action undo)
    {
        try
        {
            write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            undo();
            throw AwsServiceException.Json("InternalServiceError", "LocalAws could not store the change durably; nothing was changed. " + ex.GetType().Name);
        }
    }

    private string ArnPrefix => $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:";
}
