using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

namespace Tap.Infra.Tests;

/// <summary>
/// TapStack synthesized once for every test in this project, with a stub bootstrap (nothing is published) and the
/// jsii runtime's temporary files in a directory of its own, removed afterwards.
/// </summary>
public sealed class SynthesizedTemplate : IDisposable
{
    public const string EnvironmentName = "test";

    private readonly string _root = Directory.CreateTempSubdirectory("tap-infra-tests-").FullName;

    public SynthesizedTemplate()
    {
        // Before the first CDK call: jsii starts node, which unpacks ~60 MB into TMPDIR.
        System.Environment.SetEnvironmentVariable("TMPDIR", Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName);
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        System.Environment.SetEnvironmentVariable("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1");
        var asset = Directory.CreateDirectory(Path.Combine(_root, "asset")).FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), "#!/bin/sh\n");
        File.WriteAllText(Path.Combine(asset, "bootstrap.dbg"), "native symbols");
        File.WriteAllText(Path.Combine(asset, "Tap.ServiceDefaults.pdb"), "managed symbols");

        var app = App(Path.Combine(_root, "cdk.out"), asset);
        Stack = new TapStack(app, "TapStack", TapStackSettings.FromContext(app.Node));
        Template = Template.FromStack(Stack);
        Json = JsonDocument.Parse(JsonSerializer.Serialize(Template.ToJSON())).RootElement.Clone();
        TemplateFile = Path.Combine(app.Synth().Directory, "TapStack.template.json");
    }

    public TapStack Stack { get; }

    public Template Template { get; }

    /// <summary>The template as JSON, for reading whole resources.</summary>
    public JsonElement Json { get; }

    /// <summary>The synthesized template on disk (for cfn-lint).</summary>
    public string TemplateFile { get; }

    /// <summary>The properties of the one resource of <paramref name="type"/> (fails unless there is exactly one).</summary>
    public JsonElement PropertiesOf(string type) =>
        Assert.Single(Resources(type)).GetProperty("Properties");

    public IEnumerable<JsonElement> Resources(string type) =>
        Json.GetProperty("Resources").EnumerateObject().Select(r => r.Value).Where(r => r.GetProperty("Type").GetString() == type);

    /// <summary>The logical id of the one resource of <paramref name="type"/>.</summary>
    public string LogicalId(string type) =>
        Assert.Single(Json.GetProperty("Resources").EnumerateObject(), r => r.Value.GetProperty("Type").GetString() == type).Name;

    /// <summary>
    /// TapStack as <c>cdk synth</c> writes it, into <paramref name="directory"/>: a cloud assembly the CDK CLI deploys
    /// with <c>--app</c>, with the Function's package from <paramref name="functionAsset"/>.
    /// </summary>
    /// <returns>The cloud assembly's directory.</returns>
    public static string CloudAssembly(string directory, string functionAsset, int? functionMemory = null)
    {
        var app = App(directory, functionAsset, functionMemory);
        _ = new TapStack(app, "TapStack", TapStackSettings.FromContext(app.Node));
        return app.Synth().Directory;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static App App(string directory, string functionAsset, int? functionMemory = null)
    {
        var context = new Dictionary<string, object>
        {
            [TapStackSettings.EnvironmentKey] = EnvironmentName,
            [TapStackSettings.FunctionAssetKey] = functionAsset,
        };
        if (functionMemory is { } memory)
        {
            context[TapStackSettings.FunctionMemoryKey] = memory;
        }

        return new App(new AppProps { AnalyticsReporting = false, Outdir = directory, Context = context });
    }
}

[CollectionDefinition(Name)]
public sealed class SynthesizedTemplateCollectionDefinition : ICollectionFixture<SynthesizedTemplate>
{
    public const string Name = "TapStack synthesized once";
}
