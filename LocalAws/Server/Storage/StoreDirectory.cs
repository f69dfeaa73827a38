namespace Tap.LocalAws.Storage;

/// <summary>
/// One service's folder of the data directory: created owner-only, locked while open (a second process on it would
/// overwrite this one's changes), and rid of the temporary files of writes that never completed, which were never
/// acknowledged.
/// </summary>
internal sealed class StoreDirectory : IDisposable
{
    private const string LockFileName = ".lock";

    private readonly FileStream _lock;

    private StoreDirectory(string path, FileStream directoryLock) => (Path, _lock) = (path, directoryLock);

    public string Path { get; }

    /// <exception cref="LocalAwsStoreInUseException">Another process holds the directory.</exception>
    public static StoreDirectory Open(string path)
    {
        DurableFile.CreateDirectory(path);
        StoreDirectory directory;
        try
        {
            // FileShare.None is an exclusive lock on every platform .NET runs on (flock on Unix), released at exit.
            directory = new StoreDirectory(path, new FileStream(
                System.IO.Path.Combine(path, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex)
        {
            throw new LocalAwsStoreInUseException(path, ex);
        }

        foreach (var partial in Directory.EnumerateFiles(path, "*" + DurableFile.TemporaryExtension))
        {
            File.Delete(partial);
        }

        return directory;
    }

    public void Dispose() => _lock.Dispose();
}
