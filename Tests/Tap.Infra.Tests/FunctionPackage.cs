using System.Reflection;

namespace Tap.Infra.Tests;

/// <summary>
/// The Function's package as a directory for the CDK's <c>functionAsset</c>: the one holding the Native AOT
/// <c>bootstrap</c> CI publishes to <c>TAP_FUNCTION_BOOTSTRAP</c> (the CDK leaves out what is not shipped), or else a
/// copy of the JIT build with a <c>bootstrap</c> that runs it with <c>dotnet</c> (a custom runtime all the same).
/// </summary>
internal static class FunctionPackage
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    /// <param name="scratch">Where to put the JIT build's copy, when there is no published bootstrap.</param>
    public static string Directory(string scratch)
    {
        if (Environment.GetEnvironmentVariable("TAP_FUNCTION_BOOTSTRAP") is { Length: > 0 } bootstrap)
        {
            return Path.GetDirectoryName(Path.GetFullPath(bootstrap))!;
        }

        var build = Path.GetDirectoryName(typeof(FunctionPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "FunctionAssembly").Value)!;
        var package = System.IO.Directory.CreateDirectory(Path.Combine(scratch, "function")).FullName;
        foreach (var file in System.IO.Directory.EnumerateFiles(build, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".pdb", StringComparison.Ordinal)))
        {
            var target = Path.Combine(package, Path.GetRelativePath(build, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var script = Path.Combine(package, "bootstrap");
        File.WriteAllText(script, "#!/bin/sh\nexec dotnet \"$LAMBDA_TASK_ROOT/Tap.Function.dll\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, Executable);
        }

        return package;
    }
}
