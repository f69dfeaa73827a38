using System.Security.Cryptography;

namespace Tap.AppHost;

/// <summary>
/// The CDK CLI's own bootstrap template (<c>cdk bootstrap --show-template --json</c>), from the CLI Infra/ pins,
/// written beside the cloud assembly and asked of the CLI again only when Infra's <c>package-lock.json</c> changes
/// (a new CLI may bring a new bootstrap version). The CLI is installed with <c>npm ci</c> when it is missing.
/// </summary>
internal static class CdkBootstrapTemplate
{
    private const string FileName = "cdk-bootstrap.template.json";

    /// <summary>The template's path under <paramref name="output"/>, for the repository at <paramref name="root"/>.</summary>
    public static string Write(string root, string output)
    {
        var infra = Path.Combine(root, "Infra");
        var lockHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(infra, "package-lock.json"))));
        var template = Path.Combine(output, FileName);
        var recorded = template + ".sha256";
        if (File.Exists(template) && File.Exists(recorded) && File.ReadAllText(recorded) == lockHash)
        {
            return template;
        }

        var cli = Path.Combine(infra, "node_modules", ".bin", OperatingSystem.IsWindows() ? "cdk.cmd" : "cdk");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine("Installing Infra's pinned CDK CLI (npm ci)...");
            CommandLine.Run(OperatingSystem.IsWindows() ? "npm.cmd" : "npm", ["ci", "--no-audit", "--no-fund"], infra);
        }

        // Run outside Infra/ so the CLI does not read cdk.json and synthesize the app first.
        Directory.CreateDirectory(output);
        var json = CommandLine.Run(cli, ["bootstrap", "--show-template", "--json"], output);
        File.WriteAllText(template, json);
        File.WriteAllText(recorded, lockHash);
        return template;
    }
}
