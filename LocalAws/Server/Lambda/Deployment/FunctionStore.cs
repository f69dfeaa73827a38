using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Lambda.Deployment;

/// <summary>
/// The functions deployed at run time (CreateFunction, CloudFormation) and their unpacked code: one record per
/// function in <c>lambda/</c> and each package once under <c>lambda/code/{sha256}</c>. Without a data directory
/// both live in memory and a temporary folder, removed when LocalAws stops.
/// </summary>
internal sealed class FunctionStore : IDisposable
{
    private readonly RecordStore<LambdaFunction> _functions;
    private readonly string? _temporaryRoot;

    public FunctionStore(LocalAwsSettings settings, ILogger<FunctionStore> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _functions = new RecordStore<LambdaFunction>(settings.DataDirectory, "lambda", ".function", format: 1, f => f.Name,
            f => f.Code is null ? "it holds no code" : null, logger);
        if (settings.DataDirectory is { } data)
        {
            CodeRoot = Path.Combine(Path.GetFullPath(data), "lambda", "code");
        }
        else
        {
            CodeRoot = _temporaryRoot = Directory.CreateTempSubdirectory("localaws-lambda-").FullName;
        }

        Directory.CreateDirectory(CodeRoot);

        // A package half unpacked when LocalAws stopped was never used: it goes.
        foreach (var staging in Directory.EnumerateDirectories(CodeRoot, "*" + CodeArchive.StagingMarker + "*"))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Where packages are unpacked, each in a folder named by its hash.</summary>
    public string CodeRoot { get; }

    public IReadOnlyList<LambdaFunction> All() => _functions.All();

    public LambdaFunction? Find(string name) => _functions.Find(name);

    /// <inheritdoc cref="RecordStore{T}.Change"/>
    public TResult Change<TResult>(string name, Func<LambdaFunction?, (LambdaFunction? Next, TResult Result)> change) => _functions.Change(name, change);

    public string CodeDirectory(FunctionCode code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return Path.Combine(CodeRoot, code.Folder);
    }

    /// <summary>Removes the unpacked packages no function uses any more.</summary>
    public void RemoveUnusedCode()
    {
        var used = _functions.All().Select(f => f.Code!.Folder).ToHashSet(StringComparer.Ordinal);
        foreach (var folder in Directory.EnumerateDirectories(CodeRoot))
        {
            // Folders being unpacked have longer names.
            if (Path.GetFileName(folder) is { Length: 64 } name && !used.Contains(name))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A process still holds it open: the next cleanup removes it.
                }
            }
        }
    }

    public void Dispose()
    {
        _functions.Dispose();
        if (_temporaryRoot is not null)
        {
            try
            {
                Directory.Delete(_temporaryRoot, recursive: true);
            }
            catch (IOException)
            {
                // Left for the system's temporary-file cleanup.
            }
        }
    }
}
