using System.Text.Json;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// Durable secrets: one file per secret, written to a temporary file, flushed to disk, atomically renamed over the
/// old one, and the directory synced, before a write is acknowledged. Each file starts with a header line holding
/// the SHA-256 of its body, so damage is detected at start and reported, never silently dropped or overwritten.
/// The directory is locked while open: a second process on it would overwrite this one's changes.
/// </summary>
public sealed partial class FileSecretPersistence : IDisposable
{
    private const string Extension = ".secret";
    private const int Format = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly StoreDirectory _store;
    private readonly ILogger _logger;

    private FileSecretPersistence(StoreDirectory store, ILogger logger)
    {
        _store = store;
        _logger = logger;
    }

    public string Directory => _store.Path;

    /// <summary>Called before each step of a write; a test fails a step by throwing here.</summary>
    internal Action<StorageStep>? BeforeStep { get; set; }

    /// <summary>Opens (creating, owner-only: secret values are stored here) and locks the directory.</summary>
    /// <exception cref="LocalAwsStoreInUseException">Another process holds the directory.</exception>
    public static FileSecretPersistence Open(string directory, ILogger logger) => new(StoreDirectory.Open(directory), logger);

    /// <summary>What the directory holds now, read without locking, repairing or cleaning it (for inspection).</summary>
    internal static List<SecretRecord> ReadDirectory(string directory) =>
        [.. System.IO.Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal).Select(Read)];

    public List<SecretRecord> LoadAll()
    {
        var secrets = new List<SecretRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var secret = Read(path);
            if (!string.Equals(Path.GetFileName(path), FileName(secret.Arn), StringComparison.Ordinal))
            {
                throw new LocalAwsStoreDamagedException(path, $"it holds {secret.Arn}, which belongs in {FileName(secret.Arn)}");
            }

            if (SecretRecordRepair.Repair(secret) is { Count: > 0 } repairs)
            {
                // Written by an earlier version that accepted such values: load what is sound, and say what was dropped.
                LogRepaired(_logger, path, string.Join("; ", repairs));
                TrySaveRepaired(secret, path);
            }

            secrets.Add(secret);
        }

        return secrets;
    }

    /// <summary>
    /// Writes a secret's file. When this returns, the change is on disk; when it throws before the rename, the old
    /// file is untouched. A failure to sync the directory after the rename is only logged: the new file is
    /// already what every reader sees, so the change has been made.
    /// </summary>
    public void Save(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var path = Path.Combine(Directory, FileName(secret.Arn));
        if (ChecksummedFile.Write(path, Format, JsonSerializer.SerializeToUtf8Bytes(secret, Json), BeforeStep) is { } syncFailure)
        {
            LogSyncFailed(_logger, syncFailure, path);
        }
    }

    /// <summary>Deletes a secret's file; the same guarantees as <see cref="Save"/>.</summary>
    public void Delete(string arn)
    {
        var path = Path.Combine(Directory, FileName(arn));
        if (DurableFile.Delete(path, BeforeStep) is { } syncFailure)
        {
            LogSyncFailed(_logger, syncFailure, path);
        }
    }

    public void Dispose() => _store.Dispose();

    private static SecretRecord Read(string path) => ChecksummedFile.ReadJson<SecretRecord>(path, Format, Json);

    private void TrySaveRepaired(SecretRecord secret, string path)
    {
        try
        {
            Save(secret);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Memory holds the repaired record; the file keeps the dropped values until the secret's next write.
            LogRepairNotSaved(_logger, ex, path);
        }
    }

    private static string FileName(string arn) => ChecksummedFile.FileName(arn, Extension);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws repaired {Path} while loading it: {Repairs}")]
    private static partial void LogRepaired(ILogger logger, string path, string repairs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws could not write the repaired {Path}; it is repaired in memory and will be rewritten with the secret's next change")]
    private static partial void LogRepairNotSaved(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws changed {Path} but could not sync its directory; the change stands, but may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string path);
}
