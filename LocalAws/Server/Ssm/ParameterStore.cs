using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// The parameters, in memory and, with a data directory, one checksummed file per parameter in its <c>ssm/</c>
/// folder: a change is on disk before it is acknowledged and in memory only after, so a failed write answers 500 and
/// changes nothing.
/// </summary>
internal sealed class ParameterStore(string? dataDirectory, ILogger<ParameterStore> logger) : IDisposable
{
    /// <summary>Parameter Store keeps a parameter's last 100 versions.</summary>
    public const int MaxVersions = 100;

    private readonly RecordStore<StoredParameter> _records = new(
        dataDirectory, "ssm", ".parameter", format: 1, p => p.Name, p => p.Versions is { Count: > 0 } ? null : "it holds no version", logger);

    /// <summary>Called before each step of a write; a test fails a step by throwing here.</summary>
    internal Action<StorageStep>? BeforeStep
    {
        get => _records.BeforeStep;
        set => _records.BeforeStep = value;
    }

    public StoredParameter? Find(string name) => _records.Find(name);

    /// <summary>Every parameter, by name.</summary>
    public IReadOnlyList<StoredParameter> All() => _records.All();

    /// <inheritdoc cref="RecordStore{T}.Change"/>
    public T Change<T>(string name, Func<StoredParameter?, (StoredParameter? Next, T Result)> change) => _records.Change(name, change);

    public void Dispose() => _records.Dispose();
}
