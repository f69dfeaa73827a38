using System.Diagnostics;

namespace Tap.Infra;

/// <summary>
/// The Function as Lambda runs it: the Native AOT <c>bootstrap</c>, published into <c>artifacts/function-bootstrap</c>
/// when it is missing or stale: when <see cref="ProjectInputs"/>' hash of the Function differs from the one recorded
/// at the last publish.
/// </summary>
public static class FunctionBootstrap
{
    private const string InputsHashFile = ".inputs.sha256";

    /// <summary>Files beside <c>bootstrap</c> that are not shipped: debug symbols (native and managed) and the inputs' hash.</summary>
    public static string[] NotShipped { get; } = ["*.dbg", "*.pdb", InputsHashFile];

    /// <summary>The directory to zip as the function's code.</summary>
    public static string Directory(TapStackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.FunctionAssetDirectory is { } given)
        {
            var full = Path.GetFullPath(given);
            return File.Exists(Path.Combine(full, "bootstrap"))
                ? full
                : throw new FileNotFoundException($"Context '{TapStackSettings.FunctionAssetKey}' names {full}, which holds no 'bootstrap'.");
        }

        var root = RepositoryRoot();
        var output = Path.Combine(root, "artifacts", "function-bootstrap");
        var hash = InputsHash(root);
        var recorded = Path.Combine(output, InputsHashFile);
        if (File.Exists(Path.Combine(output, "bootstrap")) && File.Exists(recorded) && File.ReadAllText(recorded) == hash)
        {
            return output;
        }

        Publish(root, output);
        File.WriteAllText(recorded, hash);
        return output;
    }

    /// <summary>SHA-256 over the Function project's inputs (<see cref="ProjectInputs"/>).</summary>
    public static string InputsHash(string root) => ProjectInputs.Hash(root, Path.Combine("Function", "Tap.Function.csproj"));

    private static void Publish(string root, string output)
    {
        Console.Error.WriteLine($"Publishing the Function's Native AOT bootstrap to {output} (its inputs changed)...");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "publish", Path.Combine(root, "Function", "Tap.Function.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo" },
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Publishing the Function failed (exit code {process.ExitCode}); see the output above.");
        }
    }

    private static string RepositoryRoot() => ProjectInputs.RepositoryRoot(AppContext.BaseDirectory);
}
