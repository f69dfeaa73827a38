using System.Text.Json;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.CloudFormation.Storage;

/// <summary>
/// Every stack, deleted ones included (ListStacks shows them, as CloudFormation does for 90 days), in memory and,
/// with a data directory, one checksummed file per stack in <c>cloudformation/</c>, rewritten after every step of an
/// operation. Readers get the last saved snapshot, never the record an operation is changing.
/// </summary>
internal sealed partial class StackStore : IDisposable
{
    private const string FolderName = "cloudformation";
    private const string Extension = ".stack";
    private const int Format = 1;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StackRecord> _snapshots = new(StringComparer.Ordinal);
    private readonly StoreDirectory? _store;
    private readonly ILogger _logger;

    public StackStore(string? dataDirectory, ILogger<StackStore> logger)
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
                var stack = ChecksummedFile.ReadJson<StackRecord>(path, Format);
                if (!string.Equals(Path.GetFileName(path), ChecksummedFile.FileName(stack.StackId, Extension), StringComparison.Ordinal))
                {
                    throw new LocalAwsStoreDamagedException(path, "it holds a stack that belongs in another file");
                }

                _snapshots[stack.StackId] = stack;
            }
        }
        catch
        {
            _store.Dispose();
            throw;
        }
    }

    /// <summary>The stack a name or stack id names: by id any stack, by name the one not deleted.</summary>
    public StackRecord? Find(string nameOrId)
    {
        lock (_gate)
        {
            return _snapshots.GetValueOrDefault(nameOrId)
                ?? _snapshots.Values.FirstOrDefault(s => s.StackName == nameOrId && s.Status != StackStatus.DeleteComplete);
        }
    }

    /// <summary>Every stack, oldest first.</summary>
    public IReadOnlyList<StackRecord> All()
    {
        lock (_gate)
        {
            return [.. _snapshots.Values.OrderBy(s => s.CreationTime)];
        }
    }

    /// <summary>
    /// Stores <paramref name="stack"/> as it is now. The snapshot readers see is a copy; with a data directory the
    /// file is replaced atomically, so a crash leaves the previous step or this one, never half of either.
    /// </summary>
    public Task SaveAsync(StackRecord stack, CancellationToken cancellationToken)
    {
        Save(stack);
        return Task.CompletedTask;
    }

    /// <inheritdoc cref="SaveAsync"/>
    public void Save(StackRecord stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(stack);
        var snapshot = JsonSerializer.Deserialize<StackRecord>(bytes)!;
        lock (_gate)
        {
            Persist(stack.StackId, bytes);
            _snapshots[stack.StackId] = snapshot;
        }
    }

    /// <summary>A copy of the stored stack for an operation to change (and save step by step).</summary>
    public static StackRecord Checkout(StackRecord snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return JsonSerializer.Deserialize<StackRecord>(JsonSerializer.SerializeToUtf8Bytes(snapshot))!;
    }

    public void Dispose() => _store?.Dispose();

    private void Persist(string stackId, byte[] bytes)
    {
        if (_store is null)
        {
            return;
        }

        var path = Path.Combine(_store.Path, ChecksummedFile.FileName(stackId, Extension));
        try
        {
            if (ChecksummedFile.Write(path, Format, bytes) is { } syncFailure)
            {
                LogSyncFailed(_logger, syncFailure, path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The operation goes on in memory; at the next start the stack resumes from its last stored step.
            LogWriteFailed(_logger, ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "LocalAws could not write {Path}; the stack's step is held in memory only")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LocalAws wrote {Path} but could not sync its directory; the step may not survive a power loss")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string path);
}
