using System.Security.Cryptography;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// The secrets of the emulated account. Every operation runs under one lock, so concurrent writers see Secrets
/// Manager's semantics (no lost versions, idempotent tokens). Stored records are never changed in place: a write
/// changes a clone and <see cref="Commit"/>s it, which makes it durable first and visible second, so memory never
/// holds a change the disk does not, whatever step fails. Secrets past their recovery window are purged as AWS does.
/// </summary>
public sealed partial class SecretStore : IDisposable
{
    private const string SuffixAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly Dictionary<string, SecretRecord> _byArn = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly FileSecretPersistence? _persistence;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;

    public SecretStore(string accountId, string region, TimeProvider clock, ILogger<SecretStore> logger, FileSecretPersistence? persistence = null)
    {
        AccountId = accountId;
        Region = region;
        _clock = clock;
        _logger = logger;
        _persistence = persistence;
        foreach (var secret in persistence?.LoadAll() ?? [])
        {
            _byArn.Add(secret.Arn, secret);
        }
    }

    public string AccountId { get; }

    /// <summary>Where records are made durable; <see langword="null"/> in memory-only mode.</summary>
    internal FileSecretPersistence? Persistence => _persistence;

    public string Region { get; }

    /// <summary>The stored records: read them, never change them (see <see cref="Commit"/>).</summary>
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

    public SecretRecord? FindByName(string name)
    {
        // Every read by name passes here: a loop, not a closure per call.
        foreach (var secret in _byArn.Values)
        {
            if (secret.Name == name)
            {
                return secret;
            }
        }

        return null;
    }

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

    /// <summary>Stores a new secret: on disk first, then visible.</summary>
    /// <exception cref="SecretStorageException">It could not be stored; nothing changed.</exception>
    public void Add(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Durably(() => _persistence?.Save(secret));
        _byArn.Add(secret.Arn, secret);
    }

    /// <summary>Replaces a secret with its changed <see cref="SecretRecord.Clone"/>: on disk first, then visible.</summary>
    /// <exception cref="SecretStorageException">It could not be stored; the stored record is unchanged.</exception>
    public void Commit(SecretRecord changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (_byArn.TryGetValue(changed.Arn, out var stored) && ReferenceEquals(stored, changed))
        {
            throw new InvalidOperationException("Commit a clone: the stored record must not be changed in place.");
        }

        Durably(() => _persistence?.Save(changed));
        _byArn[changed.Arn] = changed;
    }

    /// <summary>Deletes a secret: from disk first, then from view.</summary>
    /// <exception cref="SecretStorageException">It could not be deleted; it is still there.</exception>
    public void Remove(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Durably(() => _persistence?.Delete(secret.Arn));
        _byArn.Remove(secret.Arn);
    }

    /// <summary>
    /// Records that a version was read today (AWS keeps access dates to the day). Best effort: a read never fails
    /// because this cannot be stored, and the date then stays as it was, on disk and in memory alike.
    /// </summary>
    public void RecordAccess(SecretRecord secret, string versionId)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var today = _clock.GetUtcNow().UtcDateTime.Date;
        if (secret.LastAccessedDate == today && secret.Versions.All(v => v.VersionId != versionId || v.LastAccessedDate == today))
        {
            return;
        }

        var accessed = secret.Clone();
        accessed.LastAccessedDate = today;
        foreach (var version in accessed.Versions.Where(v => v.VersionId == versionId))
        {
            version.LastAccessedDate = today;
        }

        try
        {
            Commit(accessed);
        }
        catch (SecretStorageException ex)
        {
            LogAccessNotRecorded(_logger, ex.InnerException!, secret.Arn);
        }
    }

    public void Dispose() => _persistence?.Dispose();

    private void PurgeExpired()
    {
        // Runs before every operation: the list is made only when a deletion is due.
        var now = _clock.GetUtcNow().UtcDateTime;
        List<SecretRecord>? due = null;
        foreach (var secret in _byArn.Values)
        {
            if (secret.DeletionDate <= now)
            {
                (due ??= []).Add(secret);
            }
        }

        foreach (var expired in due ?? [])
        {
            try
            {
                Remove(expired);
            }
            catch (SecretStorageException ex)
            {
                // Still scheduled for deletion, so still unreadable: the purge is tried again on the next call.
                LogPurgeFailed(_logger, ex.InnerException!, expired.Arn);
            }
        }
    }

    private static void Durably(Action write)
    {
        try
        {
            write();
        }
        catch (Exception ex)
        {
            throw new SecretStorageException(ex);
        }
    }

    private string ArnPrefix => $"arn:aws:secretsmanager:{Region}:{AccountId}:secret:";

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws served {Arn} but could not store its last-accessed date")]
    private static partial void LogAccessNotRecorded(ILogger logger, Exception exception, string arn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws could not purge {Arn}, which is past its recovery window; it stays scheduled for deletion")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception, string arn);
}
