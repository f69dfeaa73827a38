using Tap.Testing;

namespace Tap.Infra.Tests;

/// <summary>The synthesized template passes cfn-lint, CloudFormation's own linter, with no errors.</summary>
[Trait("Category", "Process")]
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class CfnLintTests(SynthesizedTemplate stack)
{
    [Fact]
    public async Task The_template_has_no_cfn_lint_errors()
    {
        Assert.SkipUnless(ExternalProcess.Exists("cfn-lint"), "Missing tool: cfn-lint is not on PATH; install it (pip install cfn-lint) to run this test.");

        var result = await ExternalProcess.RunAsync("cfn-lint", [stack.TemplateFile]);

        // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational. Only errors fail.
        Assert.True((result.ExitCode & 2) == 0 && result.ExitCode < 16, $"cfn-lint exit {result.ExitCode}:\n{result.Output}{result.Error}");
    }
}
