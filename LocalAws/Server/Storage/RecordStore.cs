using System.Text.Json;
using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Storage;

/// <summary>
/// Records of one kind by key, in memory and, with a data directory, one checksummed file per record in the
/// service's folder: a change is on disk before it is acknowledged and in memory only after, so a failed write
/// answers 500 and changes nothing. Damage found at start stops the start, naming the file.
/// </summary>
/// <typeparam name="T">The record; immutable, or never changed once stored.</typeparam>
internal sealed partial class RecordStore<T> : IDisposable
    where T : class
{
    private readonly string _extension;
    private readonly int _format;
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, T> _records = new(StringComparer.Ordinal);
    private readonly StoreDirectory? _store;
    private readonly ILogger _logger;

    /// <param name="folder">The service's folder of the data directory, e.g. <c>ssm</c>.</param>
    /// <param name="key">A record's key, from which its file's name is derived.</param>
    /// <param name="check">What a record read at start must satisfy; the reason it does not, or null.</param>
    public RecordStore(string? dataDirectory, string folder, string extension, int format, Func<T, string> key, Func<T, string?> check, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(check);
        (_extension, _format, _logger) = (extension, format, logger);
        if (dataDirectory is null)
        {
            return;
        }

        _store = StoreDirectory.Open(Path.Combine(Path.GetFullPath(dataDirectory), folder));
        try
        {
            foreach (var path in Directory.EnumerateFiles(_store.Path, "*" + extension))
            {
                var record = ChecksummedFile.ReadJson<T>(path, format);
                if (check(record) is { } damage)
                {
                    throw new LocalAwsStoreDamagedException(path, damage);
                }

                if (!string.Equals(Path.GetFileName(path), ChecksummedFile.FileName(key(record), extension), StringComparison.Ordinal))
                {
                    throw new LocalAwsStoreDamagedException(path, "it holds a record that belongs in another file");
                }

                _records[key(record)] = record;
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>Called before each step of a write; a test fails a step by throwing here.</summary>
    internal Action<StorageStep>? BeforeStep { get; set; }

    public T? Find(string key)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault(key);
        }
    }

    /// <summary>Every record, by key.</summary>
    public IReadOnlyList<T> All()
    {
        lock (_gate)
        {
            return [.. _records.Values];
        }
    }

    /// <summary>
    /// Replaces (or, when <paramref name="change"/> returns no record, deletes) the record under
    /// <paramref name="key"/> with what <paramref name="change"/> makes of it, atomically with respect to other changes.
    /// </summary>
    public TResult Change<TResult>(string key, Func<T?, (T? Next, TResult Result)> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var current = _records.GetValueOrDefault(key);
            var (next, result) = change(current);
            if (ReferenceEquals(next, current))
            {
                return result;
            }

            Persist(key, next);
            if (next is null)
            {
                _records.Remove(key);
            }
            else
            {
                _records[key] = next;
            }

            return result;
        }
    }

    public void Dispose() => _store?.Dispose();

    private void Persist(string key, T? next)
    {
        if (_store is null)
        {
            return;
        }

        var path = Path.Combine(_store.Path, ChecksummedFile.FileName(key, _extension));
        Exception? syncFailure;
        try
        {
            syncFailure = next is null
                ? DurableFile.Delete(path, BeforeStep)
                : ChecksummedFile.Write(path, _format, JsonSerializer.SerializeToUtf8Bytes(next), BeforeStep);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, ex, path);
            throw new AwsServiceException(new AwsError(500, "InternalServerError", "LocalAws could not store the change durably; nothing was changed."));
        }

        if (syncFailure is not null)
        {
            LogSyncFailed(_logger, syncFailure, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalAws could not write {Path}; the change was not made")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws changed {Path} but could not sync its directory; the change stands, but may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string path);
}
