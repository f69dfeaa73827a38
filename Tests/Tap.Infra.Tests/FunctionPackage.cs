using System.IO.Compression;
using System.Reflection;

namespace Tap.Infra.Tests;

/// <summary>
/// The Function's deployment package as the CDK zips it, with each file's Unix mode: the Native AOT
/// <c>bootstrap</c> CI publishes to <c>TAP_FUNCTION_BOOTSTRAP</c> (without what is not shipped), or else the JIT
/// build with a <c>bootstrap</c> that runs it with <c>dotnet</c> (a custom runtime all the same).
/// </summary>
internal static class FunctionPackage
{
    public static byte[] Zip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (Environment.GetEnvironmentVariable("TAP_FUNCTION_BOOTSTRAP") is { Length: > 0 } bootstrap)
            {
                var directory = Path.GetDirectoryName(Path.GetFullPath(bootstrap))!;
                var notShipped = FunctionBootstrap.NotShipped.Select(p => p.TrimStart('*')).ToArray();
                AddDirectory(zip, directory, file => !notShipped.Any(n => file.EndsWith(n, StringComparison.Ordinal)));
            }
            else
            {
                var build = Path.GetDirectoryName(typeof(FunctionPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .Single(a => a.Key == "FunctionAssembly").Value)!;
                AddDirectory(zip, build, file => !file.EndsWith(".pdb", StringComparison.Ordinal));
                Add(zip, "bootstrap", "#!/bin/sh\nexec dotnet \"$LAMBDA_TASK_ROOT/Tap.Function.dll\"\n"u8.ToArray(), Executable);
            }
        }

        return buffer.ToArray();
    }

    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    private static void AddDirectory(ZipArchive zip, string directory, Func<string, bool> shipped)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(shipped).Order(StringComparer.Ordinal))
        {
            Add(zip, Path.GetRelativePath(directory, file).Replace('\\', '/'), File.ReadAllBytes(file), OperatingSystem.IsWindows() ? Executable : File.GetUnixFileMode(file));
        }
    }

    private static void Add(ZipArchive zip, string name, byte[] content, UnixFileMode mode)
    {
        var entry = zip.CreateEntry(name);

        // The high half of the external attributes is the Unix mode: a regular file (0x8000) and its permissions.
        entry.ExternalAttributes = (0x8000 | (int)mode) << 16;
        using var stream = entry.Open();
        stream.Write(content);
    }
}
