namespace Tap.Infra.Tests;

/// <summary>The bootstrap is republished when what it is built from changes, and only then.</summary>
public sealed class FunctionBootstrapTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("tap-bootstrap-hash-").FullName;

    public FunctionBootstrapTests()
    {
        Write("Directory.Packages.props", "<Project />");
        Write("Function/Tap.Function.csproj", """<Project><ItemGroup><ProjectReference Include="..\Lib\Lib.csproj" /></ItemGroup></Project>""");
        Write("Function/Program.cs", "// app");
        Write("Lib/Lib.csproj", "<Project />");
        Write("Lib/Code.cs", "// lib");
        Write("Unrelated/Other.cs", "// not an input");
    }

    private void Write(string path, string text)
    {
        var full = Path.Combine(_root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    [Fact]
    public void The_hash_changes_with_a_referenced_projects_source_and_with_package_versions()
    {
        var before = FunctionBootstrap.InputsHash(_root);

        Write("Lib/Code.cs", "// lib, changed");
        var afterSource = FunctionBootstrap.InputsHash(_root);
        Write("Directory.Packages.props", "<Project><!-- a version bump --></Project>");
        var afterPackages = FunctionBootstrap.InputsHash(_root);

        Assert.NotEqual(before, afterSource);
        Assert.NotEqual(afterSource, afterPackages);
    }

    [Fact]
    public void The_hash_ignores_timestamps_build_output_and_unrelated_projects()
    {
        var before = FunctionBootstrap.InputsHash(_root);

        File.SetLastWriteTimeUtc(Path.Combine(_root, "Function/Program.cs"), DateTime.UtcNow.AddDays(1));
        Write("Function/bin/Release/out.dll", "binary");
        Write("Lib/obj/cache", "intermediate");
        Write("Unrelated/Other.cs", "// changed, but not an input");

        Assert.Equal(before, FunctionBootstrap.InputsHash(_root));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
