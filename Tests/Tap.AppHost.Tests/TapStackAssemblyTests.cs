using System.Text.Json.Nodes;
using Tap.Infra;

namespace Tap.AppHost.Tests;

/// <summary>
/// The AppHost's TapStack: Infra synthesized into a cloud assembly only when Infra's inputs changed, and the CDK
/// CLI's bootstrap template asked for only when the CLI's lock file changed.
/// </summary>
[Trait("Category", "Process")]
public sealed class TapStackAssemblyTests : IDisposable
{
    private readonly string _root = ProjectInputs.RepositoryRoot(AppContext.BaseDirectory);
    private readonly string _output = Directory.CreateTempSubdirectory("tapstack-").FullName;

    [Fact]
    public void TapStack_is_synthesized_once_for_the_local_environment_with_a_placeholder_function_package()
    {
        var first = TapStackAssembly.Synthesize(_root, _output);
        var written = File.GetLastWriteTimeUtc(first.TemplatePath);
        var second = TapStackAssembly.Synthesize(_root, _output);

        Assert.True(first.Synthesized);
        Assert.False(second.Synthesized);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second.TemplatePath));
        Assert.Equal("api-handler-local", first.FunctionName);
        var asset = JsonNode.Parse(File.ReadAllText(first.AssetManifestPath))!["files"]!.AsObject()
            .Single(f => (string?)f.Value!["source"]!["packaging"] == "zip").Value!;
        var package = Path.Combine(first.Directory, (string)asset["source"]!["path"]!);
        Assert.Contains("this package is a placeholder", File.ReadAllText(Path.Combine(package, "bootstrap")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(first.Directory + ".new"));
    }

    [Fact]
    public void The_bootstrap_template_is_the_CDK_CLI_own_and_is_asked_for_once()
    {
        var path = CdkBootstrapTemplate.Write(_root, _output);
        var written = File.GetLastWriteTimeUtc(path);

        Assert.Equal(path, CdkBootstrapTemplate.Write(_root, _output));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        var template = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("hnb659fds", (string?)template["Parameters"]!["Qualifier"]!["Default"]);
        Assert.NotNull(template["Resources"]!["StagingBucket"]);
        Assert.NotNull(template["Outputs"]!["BootstrapVersion"]);
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
