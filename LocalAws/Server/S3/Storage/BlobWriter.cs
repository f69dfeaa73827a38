using Tap.LocalAws.Storage;

namespace Tap.LocalAws.S3.Storage;

/// <summary>
/// The file an object's or a part's bytes are written to as they arrive. <see cref="Seal"/> makes it durable; the
/// store marks it kept once a record names it; disposing one not kept deletes it, so a refused or failed upload
/// leaves nothing behind.
/// </summary>
internal sealed class BlobWriter : IDisposable
{
    private readonly FileStream _file;
    private bool _kept;

    public BlobWriter(string dataDirectory)
    {
        FileName = Guid.NewGuid().ToString("N");
        _file = DurableFile.CreateNew(Path.Combine(dataDirectory, FileName));
    }

    /// <summary>The file's name in its bucket's data folder, which a record names once committed.</summary>
    public string FileName { get; }

    public Stream Stream => _file;

    /// <summary>The bytes written so far.</summary>
    public long Length => _file.Length;

    /// <summary>Flushes the bytes to disk; afterwards the file survives a crash (as garbage until a record names it).</summary>
    public void Seal()
    {
        DurableFile.Commit(_file);
        _file.Dispose();
    }

    /// <summary>Called by the store once a committed record names the file.</summary>
    public void Keep() => _kept = true;

    public void Dispose()
    {
        _file.Dispose();
        if (!_kept)
        {
            DurableFile.TryDelete(_file.Name);
        }
    }
}
