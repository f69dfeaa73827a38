using System.Runtime.InteropServices;

namespace Tap.LocalAws.Storage;

/// <summary>
/// Files written so that a crash leaves the old content or the new, never a mix: to a temporary file beside the
/// target, flushed to disk, renamed over the target, then the directory synced (Linux needs that for the rename to
/// survive a power loss). Owner-only throughout: what LocalAws keeps (secrets, keys, objects) is the user's alone.
/// </summary>
internal static partial class DurableFile
{
    public const string TemporaryExtension = ".tmp";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> (and its parents) readable by the owner only, if it is not there.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with what <paramref name="write"/> writes. When this returns, the new content
    /// is what every reader sees; when it throws, the old file is untouched. <paramref name="step"/> runs before each
    /// step (a test fails one by throwing). A failed directory sync after the rename is not thrown but returned: the
    /// change has been made, it may just not survive a power loss.
    /// </summary>
    public static Exception? Replace(string path, Action<Stream> write, Action<StorageStep>? step = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        var temporary = $"{path}.{Guid.NewGuid():N}{TemporaryExtension}";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        try
        {
            step?.Invoke(StorageStep.CreateTemporary);
            using (var file = new FileStream(temporary, options))
            {
                step?.Invoke(StorageStep.WriteTemporary);
                write(file);
                step?.Invoke(StorageStep.FlushTemporary);
                file.Flush(flushToDisk: true);
            }

            step?.Invoke(StorageStep.ReplaceFile);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }

        return SyncDirectory(Path.GetDirectoryName(path)!, step);
    }

    /// <summary>Deletes <paramref name="path"/> durably; the same guarantees as <see cref="Replace"/>.</summary>
    public static Exception? Delete(string path, Action<StorageStep>? step = null)
    {
        step?.Invoke(StorageStep.DeleteFile);
        File.Delete(path);
        return SyncDirectory(Path.GetDirectoryName(path)!, step);
    }

    /// <summary>Deletes a file if it can; what it cannot is left for the next start to discard.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next start, which discards temporary files.
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> owner-only for a new file's bytes, which <see cref="Commit"/> makes durable.
    /// Until a record names it, such a file is garbage that a crash may leave and a start removes.
    /// </summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.Asynchronous, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return new FileStream(path, options);
    }

    /// <summary>Flushes a file from <see cref="CreateNew"/> to disk and syncs its directory entry; throws what failed.</summary>
    public static void Commit(FileStream file)
    {
        ArgumentNullException.ThrowIfNull(file);
        file.Flush(flushToDisk: true);
        if (SyncDirectory(Path.GetDirectoryName(file.Name)!, step: null) is { } failure)
        {
            throw new IOException("The new file's directory could not be synced.", failure);
        }
    }

    /// <summary>Makes a rename or deletion in <paramref name="directory"/> durable; returns what failed, if anything.</summary>
    private static Exception? SyncDirectory(string directory, Action<StorageStep>? step)
    {
        try
        {
            step?.Invoke(StorageStep.SyncDirectory);
            if (!OperatingSystem.IsLinux())
            {
                return null;
            }

            var fd = Native.Open(directory, Native.ReadOnlyDirectory);
            if (fd < 0)
            {
                throw new IOException($"opening the directory failed (errno {Marshal.GetLastPInvokeError()}).");
            }

            try
            {
                if (Native.Fsync(fd) != 0)
                {
                    throw new IOException($"fsync of the directory failed (errno {Marshal.GetLastPInvokeError()}).");
                }
            }
            finally
            {
                _ = Native.Close(fd);
            }

            return null;
        }
        catch (Exception ex)
        {
            return ex;
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
