using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// Durable secrets: one file per secret, written to a temporary file, flushed to disk, atomically renamed over the
/// old one, and the directory synced, before a write is acknowledged. Each file starts with a header line holding
/// the SHA-256 of its body, so damage is detected at start and reported, never silently dropped or overwritten.
/// </summary>
public sealed partial class FileSecretPersistence(string directory)
{
    private const string Extension = ".secret";
    private const int Format = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public string Directory => directory;

    public List<SecretRecord> LoadAll()
    {
        // Secret values are stored here: readable by the owner only.
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // A temporary file is a write that never completed, so it was never acknowledged.
        foreach (var partial in System.IO.Directory.EnumerateFiles(directory, "*.tmp"))
        {
            File.Delete(partial);
        }

        var secrets = new List<SecretRecord>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            var secret = Read(path);
            if (!string.Equals(Path.GetFileName(path), FileName(secret.Arn), StringComparison.Ordinal))
            {
                throw Damaged(path, $"it holds {secret.Arn}, which belongs in {FileName(secret.Arn)}");
            }

            secrets.Add(secret);
        }

        return secrets;
    }

    public void Save(SecretRecord secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var body = JsonSerializer.SerializeToUtf8Bytes(secret, Json);
        var header = Encoding.UTF8.GetBytes($"{{\"format\":{Format},\"sha256\":\"{Convert.ToHexStringLower(SHA256.HashData(body))}\"}}\n");
        var path = Path.Combine(directory, FileName(secret.Arn));
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(header);
            file.Write(body);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        SyncDirectory();
    }

    public void Delete(string arn)
    {
        File.Delete(Path.Combine(directory, FileName(arn)));
        SyncDirectory();
    }

    public SecretRecord? Load(string arn)
    {
        var path = Path.Combine(directory, FileName(arn));
        return File.Exists(path) ? Read(path) : null;
    }

    private static SecretRecord Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var newline = Array.IndexOf(bytes, (byte)'\n');
        if (newline < 0)
        {
            throw Damaged(path, "it has no header line");
        }

        try
        {
            using var header = JsonDocument.Parse(bytes.AsMemory(0, newline));
            var format = header.RootElement.GetProperty("format").GetInt32();
            var expected = header.RootElement.GetProperty("sha256").GetString();
            if (format != Format)
            {
                throw Damaged(path, $"its format {format} is not {Format}");
            }

            var body = bytes.AsSpan(newline + 1);
            if (!string.Equals(expected, Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.Ordinal))
            {
                throw Damaged(path, "its checksum does not match its contents");
            }

            return JsonSerializer.Deserialize<SecretRecord>(body, Json) ?? throw Damaged(path, "it is empty");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Damaged(path, ex.Message);
        }
    }

    private static string FileName(string arn) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(arn)))[..32] + Extension;

    private static LocalAwsStoreDamagedException Damaged(string path, string reason) => new(path, reason);

    /// <summary>Makes the rename itself durable (Linux needs the directory synced for that).</summary>
    private void SyncDirectory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Native.Open(directory, Native.ReadOnlyDirectory);
        if (fd >= 0)
        {
            _ = Native.Fsync(fd);
            _ = Native.Close(fd);
        }
    }

    private static partial class Native
    {
        public const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY

        [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
        public static partial int Open(string path, int flags);

        [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static partial int Fsync(int fd);

        [LibraryImport("libc", EntryPoint = "close")]
        public static partial int Close(int fd);
    }
}

/// <summary>The data directory holds a file that cannot be trusted. LocalAws refuses to start rather than lose data.</summary>
public sealed class LocalAwsStoreDamagedException(string path, string reason)
    : Exception($"LocalAws: the data directory holds a damaged secret file '{path}': {reason}. Nothing was changed; repair or move the file and start again.")
{
    public string FilePath { get; } = path;
}
