using System.Security.Cryptography;
using System.Text;
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
    private const string LockFileName = ".lock";
    private const int Format = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    private readonly string _directory;
    private readonly ILogger _logger;
    private readonly FileStream _lock;

    private FileSecretPersistence(string directory, ILogger logger, FileStream directoryLock)
    {
        _directory = directory;
        _logger = logger;
        _lock = directoryLock;
    }

    public string Directory => _directory;

    /// <summary>Called before each step of a write; a test fails a step by throwing here.</summary>
    internal Action<StorageStep>? BeforeStep { get; set; }

    /// <summary>Opens (creating, owner-only) and locks the directory.</summary>
    /// <exception cref="LocalAwsStoreInUseException">Another process holds the directory.</exception>
    public static FileSecretPersistence Open(string directory, ILogger logger)
    {
        // Secret values are stored here: readable by the owner only.
        DurableFile.CreateDirectory(directory);

        try
        {
            // FileShare.None is an exclusive lock on every platform .NET runs on (flock on Unix), released at exit.
            return new FileSecretPersistence(directory, logger, new FileStream(
                Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new LocalAwsStoreInUseException(directory, ex);
        }
    }

    /// <summary>What the directory holds now, read without locking, repairing or cleaning it (for inspection).</summary>
    internal static List<SecretRecord> ReadDirectory(string directory) =>
        [.. System.IO.Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal).Select(Read)];

    public List<SecretRecord> LoadAll()
    {
        // A temporary file is a write that never completed, so it was never acknowledged.
        foreach (var partial in System.IO.Directory.EnumerateFiles(_directory, "*" + DurableFile.TemporaryExtension))
        {
            File.Delete(partial);
        }

        var secrets = new List<SecretRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, "*" + Extension).Order(StringComparer.Ordinal))
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
        var body = JsonSerializer.SerializeToUtf8Bytes(secret, Json);
        var header = Encoding.UTF8.GetBytes($"{{\"format\":{Format},\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"}}\n");
        var path = Path.Combine(_directory, FileName(secret.Arn));
        if (DurableFile.Replace(path, file => { file.Write(header); file.Write(body); }, BeforeStep) is { } syncFailure)
        {
            LogSyncFailed(_logger, syncFailure, path);
        }
    }

    /// <summary>Deletes a secret's file; the same guarantees as <see cref="Save"/>.</summary>
    public void Delete(string arn)
    {
        var path = Path.Combine(_directory, FileName(arn));
        if (DurableFile.Delete(path, BeforeStep) is { } syncFailure)
        {
            LogSyncFailed(_logger, syncFailure, path);
        }
    }

    public void Dispose() => _lock.Dispose();

    private static SecretRecord Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            throw new LocalAwsStoreDamagedException(path, "it has no header line");
        }

        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(0, newline));
            var format = header.RootElement.GetProperty("format").GetInt32();
            var expected = header.RootElement.GetProperty("sha256").GetString();
            if (format != Format)
            {
                throw new LocalAwsStoreDamagedException(path, $"its format {format} is not {Format}");
            }

            var body = bytes.AsSpan(newline + 1);
            if (!string.Equals(expected, Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.Ordinal))
            {
                throw new LocalAwsStoreDamagedException(path, "its checksum does not match its contents");
            }

            return JsonSerializer.Deserialize<SecretRecord>(body, Json) ?? throw new LocalAwsStoreDamagedException(path, "it is empty");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // The parser's message may quote the file, and the file holds secret values: name only the position.
            throw new LocalAwsStoreDamagedException(path, ex is JsonException json ? $"it is not valid JSON (line {json.LineNumber}, byte {json.BytePositionInLine})" : "its header is not valid");
        }
    }

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

    private static string FileName(string arn) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(arn)))[..32] + Extension;

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws repaired {Path} while loading it: {Repairs}")]
    private static partial void LogRepaired(ILogger logger, string path, string repairs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws could not write the repaired {Path}; it is repaired in memory and will be rewritten with the secret's next change")]
    private static partial void LogRepairNotSaved(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws changed {Path} but could not sync its directory; the change stands, but may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string path);
}
