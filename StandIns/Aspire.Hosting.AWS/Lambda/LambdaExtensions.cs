using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;

namespace Aspire.Hosting;

/// <summary>Adds Lambda functions, served by the app's Lambda service emulator, as Aspire resources.</summary>
public static class LambdaExtensions
{
    /// <summary>
    /// Adds a .NET project as a Lambda function. In run mode its processes get Lambda's environment (the function's
    /// name, version, memory, log format and level, and handler) and poll the emulator's Runtime API
    /// (<c>AWS_LAMBDA_RUNTIME_API</c>). Add the emulator first.
    /// </summary>
    /// <typeparam name="TLambdaProject">The project (<c>Projects.*</c>).</typeparam>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, which is also the function's name.</param>
    /// <param name="lambdaHandler">The handler; <c>bootstrap</c> for a custom runtime.</param>
    /// <param name="options">Log format and level.</param>
    public static IResourceBuilder<LambdaProjectResource> AddAWSLambdaFunction<TLambdaProject>(
        this IDistributedApplicationBuilder builder, string name, string lambdaHandler, LambdaFunctionOptions? options = null)
        where TLambdaProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(lambdaHandler);
        options ??= new LambdaFunctionOptions();

        var emulator = LambdaServiceEmulator.Find(builder, name);
        var configuration = new LambdaFunctionAnnotation(lambdaHandler, options.LogFormat.Value, options.ApplicationLogLevel.Value);
        var function = builder.AddResource(new LambdaProjectResource(name))
            .WithAnnotation(new TLambdaProject())
            .WithAnnotation(configuration);
        emulator.ServeLambdaFunction(function);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return function;
        }

        function
            .WithOtlpExporter()
            .WithEnvironment(context =>
            {
                var environment = context.EnvironmentVariables;
                environment["AWS_LAMBDA_FUNCTION_NAME"] = name;
                environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
                environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] =
                    (configuration.MemorySize ?? LambdaFunctionAnnotation.DefaultMemorySize).ToString(CultureInfo.InvariantCulture);
                environment["AWS_LAMBDA_LOG_FORMAT"] = configuration.LogFormat;
                environment["AWS_LAMBDA_LOG_LEVEL"] = configuration.ApplicationLogLevel;
                environment["_HANDLER"] = configuration.Handler;
            });
        return function;
    }
}
