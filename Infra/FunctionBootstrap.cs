using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Tap.Infra;

/// <summary>
/// The Function as Lambda runs it: the Native AOT <c>bootstrap</c>, published into <c>artifacts/function-bootstrap</c>
/// when it is missing or stale. Stale means the SHA-256 over the Function's inputs (the sources and project files
/// of it and every project it references, the central package versions, the SDK pin) differs from the one recorded
/// at the last publish; timestamps are not trusted.
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

    /// <summary>SHA-256 over the Function project's inputs, by relative path and content, in a stable order.</summary>
    public static string InputsHash(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var files = ProjectsOf(Path.Combine(root, "Function", "Tap.Function.csproj"))
            .SelectMany(project => System.IO.Directory.EnumerateFiles(Path.GetDirectoryName(project)!, "*", SearchOption.AllDirectories))
            .Where(path => !IsBuildOutput(Path.GetRelativePath(root, path)))
            .Concat(((string[])["Directory.Build.props", "Directory.Packages.props", "global.json"]).Select(f => Path.Combine(root, f)).Where(File.Exists))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var relative in files)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            sha.AppendData(File.ReadAllBytes(Path.Combine(root, relative)));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(segment => segment is "bin" or "obj");

    /// <summary>A project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectsOf(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar);
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, include)));
            }
        }

        return seen;
    }

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

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tap.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (the folder holding Tap.sln) was not found above the Infra program.");
    }
}
