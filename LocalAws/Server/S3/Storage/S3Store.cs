using System.Text.Json;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.S3.Storage;

/// <summary>
/// S3's buckets, objects and multipart uploads: metadata in memory and, per bucket, on disk as checksummed records
/// (<c>bucket.json</c>, <c>objects/*.object</c>, <c>uploads/*.upload</c>) beside the bytes (<c>data/*</c>). An
/// object's bytes are written and synced to a file of their own first; the record that names them is the commit.
/// A crash in between leaves a file no record names, which the next start removes, so nothing half-written is
/// ever served. Without a data directory the same layout lives in a private temporary folder, removed at exit.
/// </summary>
internal sealed partial class S3Store : IDisposable
{
    private const int Format = 1;
    private const string BucketFile = "bucket.json";
    private const string ObjectsFolder = "objects";
    private const string UploadsFolder = "uploads";
    private const string DataFolder = "data";
    private const string ObjectExtension = ".object";
    private const string UploadExtension = ".upload";

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, BucketState> _buckets = new(StringComparer.Ordinal);
    private readonly StoreDirectory _store;
    private readonly bool _ephemeral;
    private readonly ILogger _logger;
    private long _storedBytes;

    public S3Store(string? dataDirectory, long maxStoredBytes, ILogger<S3Store> logger)
    {
        (_logger, MaxStoredBytes) = (logger, maxStoredBytes);
        _ephemeral = dataDirectory is null;
        var root = dataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "localaws-s3-" + Guid.NewGuid().ToString("N"))
            : Path.Combine(Path.GetFullPath(dataDirectory), "s3");
        _store = StoreDirectory.Open(root);
        try
        {
            foreach (var directory in Directory.EnumerateDirectories(root))
            {
                if (LoadBucket(directory) is { } bucket)
                {
                    _buckets[bucket.Record.Name] = bucket;
                }
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>The cap on the bytes of every object version and uploaded part together.</summary>
    public long MaxStoredBytes { get; }

    /// <summary>Called before each step of a record write; a test fails a step by throwing here.</summary>
    internal Action<StorageStep>? BeforeStep { get; set; }

    public BucketRecord? FindBucket(string name)
    {
        lock (_gate)
        {
            return _buckets.GetValueOrDefault(name)?.Record;
        }
    }

    public IReadOnlyList<BucketRecord> Buckets()
    {
        lock (_gate)
        {
            return [.. _buckets.Values.Select(b => b.Record)];
        }
    }

    /// <summary>Creates the bucket; <see langword="false"/> when one of that name exists (it is left as it is).</summary>
    public bool TryCreateBucket(BucketRecord record)
    {
        lock (_gate)
        {
            if (_buckets.ContainsKey(record.Name))
            {
                return false;
            }

            var directory = Path.Combine(_store.Path, record.Name);
            DurableFile.CreateDirectory(Path.Combine(directory, DataFolder));
            DurableFile.CreateDirectory(Path.Combine(directory, ObjectsFolder));
            DurableFile.CreateDirectory(Path.Combine(directory, UploadsFolder));
            Persist(() => ChecksummedFile.Write(Path.Combine(directory, BucketFile), Format, JsonSerializer.SerializeToUtf8Bytes(record), BeforeStep), directory);
            _buckets[record.Name] = new BucketState(record, directory);
            return true;
        }
    }

    /// <summary>Replaces a bucket's configuration with what <paramref name="change"/> makes of it.</summary>
    public BucketRecord UpdateBucket(string name, Func<BucketRecord, BucketRecord> change)
    {
        lock (_gate)
        {
            var bucket = Bucket(name);
            var next = change(bucket.Record);
            Persist(() => ChecksummedFile.Write(Path.Combine(bucket.Directory, BucketFile), Format, JsonSerializer.SerializeToUtf8Bytes(next), BeforeStep), bucket.Directory);
            bucket.Record = next;
            return next;
        }
    }

    /// <summary>Deletes an empty bucket (S3's BucketNotEmpty while it has any object version or upload).</summary>
    public void DeleteBucket(string name)
    {
        lock (_gate)
        {
            var bucket = Bucket(name);
            if (bucket.Objects.Count > 0 || bucket.Uploads.Count > 0)
            {
                throw S3Errors.Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty");
            }

            // The bucket record goes first: a crash after it leaves an unnamed folder, which the next start removes.
            Persist(() => DurableFile.Delete(Path.Combine(bucket.Directory, BucketFile), BeforeStep), bucket.Directory);
            _buckets.Remove(name);
            TryDeleteDirectory(bucket.Directory);
        }
    }

    /// <summary>A new file for an object's or a part's bytes, committed once they are all written and checked.</summary>
    public BlobWriter StartBlob(string bucketName)
    {
        string directory;
        lock (_gate)
        {
            directory = Path.Combine(Bucket(bucketName).Directory, DataFolder);
        }

        return new BlobWriter(directory);
    }

    /// <summary>
    /// Opens stored bytes for reading; once open they stay readable even if what names them is replaced. Opening
    /// races a replacement unless done under the same lock (<see cref="OpenVersion"/>).
    /// </summary>
    public FileStream OpenBlob(string bucketName, string dataFile)
    {
        string path;
        lock (_gate)
        {
            path = Path.Combine(Bucket(bucketName).Directory, DataFolder, dataFile);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    public void Dispose()
    {
        _store.Dispose();
        if (_ephemeral)
        {
            TryDeleteDirectory(_store.Path);
        }
    }

    private BucketState Bucket(string name) => _buckets.GetValueOrDefault(name) ?? throw S3Errors.NoSuchBucket();

    /// <summary>Adds <paramref name="bytes"/> to what is stored, or refuses them past the cap.</summary>
    private void Reserve(long bytes)
    {
        if (_storedBytes + bytes > MaxStoredBytes)
        {
            throw S3Errors.Error(400, "EntityTooLarge", $"Storing {bytes} more bytes would exceed this LocalAws's S3 storage cap of {MaxStoredBytes} bytes.");
        }

        _storedBytes += bytes;
    }

    /// <summary>Runs one durable write; a failure is S3's InternalError and changes nothing.</summary>
    private void Persist(Func<Exception?> write, string what)
    {
        Exception? syncFailure;
        try
        {
            syncFailure = write();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, ex, what);
            throw S3Errors.StorageFailed();
        }

        if (syncFailure is not null)
        {
            LogSyncFailed(_logger, syncFailure, what);
        }
    }

    private static T ReadRecord<T>(string path)
        where T : class => ChecksummedFile.ReadJson<T>(path, Format);

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind; a folder without a bucket record is removed at the next start.
        }
    }

    /// <summary>One bucket's state in memory, guarded by the store's lock.</summary>
    private sealed class BucketState(BucketRecord record, string directory)
    {
        public BucketRecord Record { get; set; } = record;

        public string Directory { get; } = directory;

        public SortedDictionary<string, ObjectRecord> Objects { get; } = new(Utf8Ordinal.Instance);

        public Dictionary<string, MultipartUpload> Uploads { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalAws could not write S3's {What}; the change was not made")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws changed S3's {What} but could not sync its directory; the change stands, but may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string what);
}
