using System.Text.Json.Nodes;
using Tap.Infra;

namespace Tap.AppHost;

/// <summary>
/// TapStack as Infra/ synthesizes it for this AppHost: a cloud assembly of the <c>local</c> environment whose
/// function package is a placeholder, since LocalAws runs the stack's function in the AppHost's own processes, never
/// from its code. Infra runs (as the CDK CLI runs a CDK app: <c>CDK_OUTDIR</c> and <c>CDK_CONTEXT_JSON</c>) only when
/// the hash of its inputs (<see cref="ProjectInputs"/>) differs from the one recorded at the last synthesis, so an
/// unchanged start neither builds Infra nor starts jsii; a failed synthesis leaves the previous assembly in place.
/// </summary>
internal sealed class TapStackAssembly
{
    public const string StackName = "TapStack";
    public const string EnvironmentName = "local";

    /// <summary>The stack's parameter for the external id its invoker role requires (Infra's <c>Invoker.ExternalIdParameter</c>).</summary>
    public const string ExternalIdParameter = "InvokerExternalId";
    private const string InputsHashFile = ".inputs.sha256";

    /// <summary>The template properties that name an <c>AWS::Lambda::Function</c> and an <c>AWS::IAM::ManagedPolicy</c>.</summary>
    private const string LambdaFunctionNameProperty = "FunctionName";
    private const string ManagedPolicyNameProperty = "ManagedPolicyName";

    /// <summary>What the placeholder package's <c>bootstrap</c> says if anything ever starts it.</summary>
    private const string PlaceholderBootstrap = """
        #!/bin/sh
        echo "TapStack's function runs in the AppHost's api-handler processes; this package is a placeholder." >&2
        exit 1

        """;

    private readonly Lazy<JsonObject> _resources;

    private TapStackAssembly(string directory, bool synthesized)
    {
        Directory = directory;
        Synthesized = synthesized;
        _resources = new(() => JsonNode.Parse(File.ReadAllText(TemplatePath))!["Resources"]!.AsObject());
    }

    /// <summary>The cloud assembly's directory.</summary>
    public string Directory { get; }

    /// <summary>Whether this start synthesized it (Infra's inputs had changed) rather than finding it current.</summary>
    public bool Synthesized { get; }

    public string TemplatePath => Path.Combine(Directory, StackName + ".template.json");

    /// <summary>The name the template gives the stack's one Lambda function.</summary>
    public string FunctionName => NameOf("AWS::Lambda::Function", LambdaFunctionNameProperty);

    /// <summary>The name the template gives the stack's one managed policy: the invoker's, which allows calling the API.</summary>
    public string InvokePolicyName => NameOf("AWS::IAM::ManagedPolicy", ManagedPolicyNameProperty);

    /// <summary>The stack's asset manifest: what to publish where before it deploys.</summary>
    public string AssetManifestPath => Path.Combine(Directory, StackName + ".assets.json");

    /// <summary>
    /// The assembly in <paramref name="output"/>'s <c>cdk.out</c>, synthesized first from the repository at
    /// <paramref name="root"/> when Infra's inputs changed since the last synthesis there.
    /// </summary>
    public static TapStackAssembly Synthesize(string root, string output)
    {
        var package = WritePlaceholder(Path.Combine(output, "function-package"));

        // The keys Infra's TapStackSettings reads; that type is not referenced here, so that the AppHost never loads the CDK.
        var context = new JsonObject { ["environment"] = EnvironmentName, ["functionAsset"] = package }.ToJsonString();
        var hash = ProjectInputs.Hash(root, Path.Combine("Infra", "Tap.Infra.csproj"), context + PlaceholderBootstrap);
        var directory = Path.Combine(output, "cdk.out");
        var recorded = Path.Combine(directory, InputsHashFile);
        if (File.Exists(Path.Combine(directory, StackName + ".template.json")) && File.Exists(recorded) && File.ReadAllText(recorded) == hash)
        {
            return new TapStackAssembly(directory, synthesized: false);
        }

        Console.Error.WriteLine($"Synthesizing {StackName} into {directory} (Infra's inputs changed)...");
        var fresh = directory + ".new";
        if (System.IO.Directory.Exists(fresh))
        {
            System.IO.Directory.Delete(fresh, recursive: true);
        }

        CommandLine.Run("dotnet", ["run", "--project", Path.Combine(root, "Infra", "Tap.Infra.csproj"), "--no-launch-profile", "-nologo"],
            Path.Combine(root, "Infra"), new Dictionary<string, string>
            {
                ["CDK_OUTDIR"] = fresh,
                ["CDK_CONTEXT_JSON"] = context,
                ["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "1",
                ["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1",
            });
        if (!File.Exists(Path.Combine(fresh, StackName + ".template.json")))
        {
            throw new InvalidOperationException($"Infra ran but wrote no {StackName}.template.json into {fresh}.");
        }

        File.WriteAllText(Path.Combine(fresh, InputsHashFile), hash);
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }

        System.IO.Directory.Move(fresh, directory);
        return new TapStackAssembly(directory, synthesized: true);
    }

    private string NameOf(string type, string property) =>
        (string?)_resources.Value
            .Single(r => (string?)r.Value!["Type"] == type).Value!["Properties"]![property]
        ?? throw new InvalidOperationException($"{StackName}'s {type} has no {property}.");

    private static string WritePlaceholder(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var bootstrap = Path.Combine(directory, "bootstrap");
        if (!File.Exists(bootstrap) || File.ReadAllText(bootstrap) != PlaceholderBootstrap)
        {
            File.WriteAllText(bootstrap, PlaceholderBootstrap);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(bootstrap, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return directory;
    }
}
