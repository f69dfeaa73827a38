using System.Text.Json;
using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// The parameters, in memory and, with a data directory, one checksummed file per parameter in its <c>ssm/</c>
/// folder: a change is on disk before it is acknowledged and in memory only after, so a failed write answers 500 and
/// changes nothing.
/// </summary>
internal sealed partial class ParameterStore : IDisposable
{
    /// <summary>Parameter Store keeps a parameter's last 100 versions.</summary>
    public const int MaxVersions = 100;

    private const string FolderName = "ssm";
    private const string Extension = ".parameter";
    private const int Format = 1;

    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredParameter> _parameters = new(StringComparer.Ordinal);
    private readonly StoreDirectory? _store;
    private readonly ILogger _logger;

    public ParameterStore(string? dataDirectory, ILogger<ParameterStore> logger)
    {
        _logger = logger;
        if (dataDirectory is null)
        {
            return;
        }

        _store = StoreDirectory.Open(Path.Combine(Path.GetFullPath(dataDirectory), FolderName));
        try
        {
            foreach (var path in Directory.EnumerateFiles(_store.Path, "*" + Extension))
            {
                var parameter = Read(path);
                if (!string.Equals(Path.GetFileName(path), ChecksummedFile.FileName(parameter.Name, Extension), StringComparison.Ordinal))
                {
                    throw new LocalAwsStoreDamagedException(path, "it holds a parameter that belongs in another file");
                }

                _parameters[parameter.Name] = parameter;
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

    public StoredParameter? Find(string name)
    {
        lock (_gate)
        {
            return _parameters.GetValueOrDefault(name);
        }
    }

    /// <summary>Every parameter, by name.</summary>
    public IReadOnlyList<StoredParameter> All()
    {
        lock (_gate)
        {
            return [.. _parameters.Values];
        }
    }

    /// <summary>
    /// Replaces (or, when <paramref name="change"/> returns no parameter, deletes) <paramref name="name"/> with what
    /// <paramref name="change"/> makes of its current state, atomically with respect to other changes.
    /// </summary>
    public T Change<T>(string name, Func<StoredParameter?, (StoredParameter? Next, T Result)> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var current = _parameters.GetValueOrDefault(name);
            var (next, result) = change(current);
            if (ReferenceEquals(next, current))
            {
                return result;
            }

            Persist(name, next);
            if (next is null)
            {
                _parameters.Remove(name);
            }
            else
            {
                _parameters[name] = next;
            }

            return result;
        }
    }

    public void Dispose() => _store?.Dispose();

    private void Persist(string name, StoredParameter? next)
    {
        if (_store is null)
        {
            return;
        }

        var path = Path.Combine(_store.Path, ChecksummedFile.FileName(name, Extension));
        Exception? syncFailure;
        try
        {
            syncFailure = next is null
                ? DurableFile.Delete(path, BeforeStep)
                : ChecksummedFile.Write(path, Format, JsonSerializer.SerializeToUtf8Bytes(next), BeforeStep);
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

    private static StoredParameter Read(string path) =>
        ChecksummedFile.ReadJson<StoredParameter>(path, Format) is { Versions.Count: > 0 } parameter
            ? parameter
            : throw new LocalAwsStoreDamagedException(path, "it holds no version");

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalAws could not write {Path}; the change was not made")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws changed {Path} but could not sync its directory; the change stands, but may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string path);
}
