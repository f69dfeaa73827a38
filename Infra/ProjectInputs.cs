using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Tap.Infra;

/// <summary>
/// What a project is built from, as one SHA-256: its files and those of every project it references (transitively,
/// build output left out), the central package versions and the SDK pin, by relative path and content in a stable
/// order; timestamps are not trusted. Infra judges the Function's published bootstrap stale by it, the AppHost its
/// synthesized TapStack (this file is compiled into both).
/// </summary>
internal static class ProjectInputs
{
    /// <summary>The hash of <paramref name="project"/>'s inputs (a path relative to <paramref name="root"/>), plus <paramref name="extra"/> text.</summary>
    public static string Hash(string root, string project, string extra = "")
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(project);
        var files = ProjectsOf(Path.Combine(root, project))
            .SelectMany(p => Directory.EnumerateFiles(Path.GetDirectoryName(p)!, "*", SearchOption.AllDirectories))
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

        sha.AppendData(Encoding.UTF8.GetBytes(extra));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The repository's root: the first folder holding <c>Tap.sln</c> at or above <paramref name="start"/>.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tap.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"The repository root (the folder holding Tap.sln) was not found above {start}.");
    }

    // node_modules holds the CDK CLI npm installs, not a project's input.
    private static bool IsBuildOutput(string relativePath) =>
        relativePath.Split(Path.DirectorySeparatorChar).Any(segment => segment is "bin" or "obj" or "node_modules" or "cdk.out");

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
}
