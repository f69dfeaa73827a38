using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.Core;
using Amazon.Lambda.Serialization.SystemTextJson;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tap.Aws.Lambda.Hosting.Runtime;
using Tap.Aws.Lambda.Hosting.Serialization;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Runs an ASP.NET Core app as a Lambda function, with the official hosting package's overloads. In Lambda
/// (<c>AWS_LAMBDA_FUNCTION_NAME</c> set) the Runtime API at <c>AWS_LAMBDA_RUNTIME_API</c> replaces Kestrel; elsewhere
/// the calls do nothing, so the same app runs under Kestrel locally and in tests.
/// </summary>
public static class ServiceCollectionExtensions
{
    private const string AotMessage =
        "For Native AOT the overload passing in a SourceGeneratorLambdaJsonSerializer instance must be used to avoid reflection with JSON serialization.";

    /// <inheritdoc cref="AddAWSLambdaHosting(IServiceCollection, LambdaEventSource, Action{HostingOptions}?)"/>
    [RequiresUnreferencedCode(AotMessage)]
    public static IServiceCollection AddAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource) =>
        services.AddAWSLambdaHosting(eventSource, (Action<HostingOptions>?)null);

    /// <summary>Runs the app in Lambda for <paramref name="eventSource"/> (only <see cref="LambdaEventSource.HttpApi"/> is supported).</summary>
    [RequiresUnreferencedCode(AotMessage)]
    public static IServiceCollection AddAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource, Action<HostingOptions>? configure = null)
    {
        if (TryLambdaSetup(services, eventSource, configure, out var options))
        {
            // The overloads without a serializer read the payload 2.0 shapes through this library's own source-generated context.
            services.TryAddSingleton<ILambdaSerializer>(options.Serializer ?? new SourceGeneratorLambdaJsonSerializer<LambdaEventJsonContext>());
        }

        return services;
    }

    /// <summary>Runs the app in Lambda, (de)serializing events with <paramref name="serializer"/>'s source-generated context (Native AOT safe).</summary>
    public static IServiceCollection AddAWSLambdaHosting<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(
        this IServiceCollection services, LambdaEventSource eventSource, SourceGeneratorLambdaJsonSerializer<T> serializer, Action<HostingOptions>? configure = null)
        where T : JsonSerializerContext
    {
        if (TryLambdaSetup(services, eventSource, configure, out var options))
        {
            services.TryAddSingleton<ILambdaSerializer>(serializer ?? options.Serializer ?? throw new ArgumentNullException(nameof(serializer)));
        }

        return services;
    }

    private static bool TryLambdaSetup(
        IServiceCollection services, LambdaEventSource eventSource, Action<HostingOptions>? configure, [NotNullWhen(true)] out HostingOptions? options)
    {
        ArgumentNullException.ThrowIfNull(services);
        options = null;
        if (eventSource != LambdaEventSource.HttpApi)
        {
            // Failing here, not first in the cloud, tells the developer on the first local run.
            throw new NotSupportedException(
                $"Only {nameof(LambdaEventSource)}.{nameof(LambdaEventSource.HttpApi)} (API Gateway HTTP API, payload format 2.0) is supported, not {eventSource}.");
        }

        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(LambdaRuntimeApiClient.FunctionNameVariable)))
        {
            return false;
        }

        var runtimeApi = Environment.GetEnvironmentVariable(LambdaRuntimeApiClient.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            throw new InvalidOperationException(
                $"{LambdaRuntimeApiClient.FunctionNameVariable} is set, so the app runs as a Lambda function, but {LambdaRuntimeApiClient.RuntimeApiVariable} (the Runtime API's address) is not.");
        }

        options = new HostingOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new LambdaRuntimeApiClient(runtimeApi, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TelemetryFlusher>();
        services.AddSingleton<ILoggerProvider, LambdaInitErrorReporter>();

        // Registered after the web host's own IServer, so this one is resolved.
        services.AddSingleton<IServer, LambdaRuntimeServer>();
        return true;
    }
}
