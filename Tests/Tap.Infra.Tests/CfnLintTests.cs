using System.Diagnostics;

namespace Tap.Infra.Tests;

/// <summary>The synthesized template passes cfn-lint, CloudFormation's own linter, with no errors.</summary>
[Trait("Category", "Process")]
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class CfnLintTests(SynthesizedTemplate stack)
{
    [SkippableFact]
    public async Task The_template_has_no_cfn_lint_errors()
    {
        Skip.IfNot(OnPath("cfn-lint"), "Missing tool: cfn-lint is not on PATH; install it (pip install cfn-lint) to run this test.");
        var start = new ProcessStartInfo("cfn-lint") { ArgumentList = { stack.TemplateFile }, RedirectStandardOutput = true, RedirectStandardError = true };

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational. Only errors fail.
        Assert.True((process.ExitCode & 2) == 0 && process.ExitCode < 16, $"cfn-lint exit {process.ExitCode}:\n{output}");
    }

    private static bool OnPath(string program) => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, program)));
}
