using Amazon.Lambda;
using Aspire.Hosting;
using Aspire.Hosting.AWS.Lambda;
using Tap.Tests.Shared;

namespace Tap.Aws.Hosting.Tests;

public sealed class AddAWSLambdaFunctionTests
{
    [Fact]
    public void A_function_needs_an_emulator()
    {
        var builder = DistributedApplication.CreateBuilder();

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap"));

        Assert.Contains(nameof(ILambdaServiceEmulatorResource), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_emulators_are_ambiguous()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("one"));
        builder.AddResource(new RecordingEmulator("two"));

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap"));

        Assert.Contains("one, two", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "bootstrap")]
    [InlineData("fn", " ")]
    public void Name_and_handler_are_required(string? name, string handler)
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("emulator"));

        Assert.ThrowsAny<ArgumentException>(() => builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>(name!, handler));
    }

    [Fact]
    public async Task The_function_runs_with_lambdas_environment_and_is_handed_to_the_emulator()
    {
        var builder = DistributedApplication.CreateBuilder();
        var emulator = builder.AddResource(new RecordingEmulator("emulator")).Resource;

        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("orders", "bootstrap",
                new LambdaFunctionOptions { LogFormat = LogFormat.JSON, ApplicationLogLevel = ApplicationLogLevel.DEBUG })
            .WithMemorySize(512)
            .WithTimeout(TimeSpan.FromSeconds(30));

        Assert.Equal([function.Resource], emulator.Functions);
        Assert.Empty(function.Resource.Annotations.OfType<global::Aspire.Hosting.ApplicationModel.EndpointAnnotation>());
        var environment = await builder.EnvironmentAsync(function.Resource);
        Assert.Equal("orders", environment["AWS_LAMBDA_FUNCTION_NAME"]);
        Assert.Equal("$LATEST", environment["AWS_LAMBDA_FUNCTION_VERSION"]);
        Assert.Equal("512", environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("JSON", environment["AWS_LAMBDA_LOG_FORMAT"]);
        Assert.Equal("DEBUG", environment["AWS_LAMBDA_LOG_LEVEL"]);
        Assert.Equal("bootstrap", environment["_HANDLER"]);
        Assert.Equal(TimeSpan.FromSeconds(30), function.Resource.GetLambdaConfiguration().Timeout);
    }

    [Fact]
    public async Task Unset_settings_are_lambdas_defaults()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("emulator"));

        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("orders", "bootstrap");

        var environment = await builder.EnvironmentAsync(function.Resource);
        Assert.Equal("128", environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]);
        Assert.Equal("Text", environment["AWS_LAMBDA_LOG_FORMAT"]);
        Assert.Equal("INFO", environment["AWS_LAMBDA_LOG_LEVEL"]);
        Assert.Null(function.Resource.GetLambdaConfiguration().Timeout);
    }

    [Fact]
    public void Memory_and_timeout_are_held_to_lambdas_limits()
    {
        var builder = DistributedApplication.CreateBuilder();
        builder.AddResource(new RecordingEmulator("emulator"));
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap");

        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithMemorySize(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithMemorySize(10241));
        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithTimeout(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => function.WithTimeout(TimeSpan.FromMinutes(16)));
        Assert.Throws<ArgumentException>(() => function.WithTimeout(TimeSpan.FromMilliseconds(1500)));
        function.WithMemorySize(10240).WithTimeout(TimeSpan.FromMinutes(15));
    }

    [Fact]
    public void A_resource_not_added_as_a_function_has_no_lambda_configuration()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new LambdaProjectResource("plain").GetLambdaConfiguration());

        Assert.Contains("AddAWSLambdaFunction", error.Message, StringComparison.Ordinal);
    }
}
