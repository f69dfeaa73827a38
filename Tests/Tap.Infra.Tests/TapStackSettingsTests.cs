using Amazon.CDK;

namespace Tap.Infra.Tests;

/// <summary>What a deployment varies by, read from CDK context as <c>-c key=value</c> or <c>cdk.json</c> gives it.</summary>
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class TapStackSettingsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("512", 512)]
    [InlineData(1024, 1024)]
    public void The_function_memory_is_the_definitions_unless_the_context_sets_one(object? given, int? expected) =>
        Assert.Equal(expected, Settings(TapStackSettings.FunctionMemoryKey, given).FunctionMemory);

    [Theory]
    [InlineData("64")]
    [InlineData("10241")]
    [InlineData("lots")]
    [InlineData("512.5")]
    public void A_function_memory_Lambda_would_refuse_stops_the_synth_with_the_setting_named(string given)
    {
        var error = Assert.Throws<ArgumentException>(() => Settings(TapStackSettings.FunctionMemoryKey, given));
        Assert.Contains("functionMemory", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Dev")]
    [InlineData("")]
    [InlineData("a-b")]
    public void An_environment_name_that_cannot_suffix_AWS_names_stops_the_synth(string given) =>
        Assert.Throws<ArgumentException>(() => Settings(TapStackSettings.EnvironmentKey, given));

    private static TapStackSettings Settings(string key, object? value)
    {
        var context = new Dictionary<string, object>();
        if (value is not null)
        {
            context[key] = value;
        }

        return TapStackSettings.FromContext(new App(new AppProps { AnalyticsReporting = false, Context = context }).Node);
    }
}
