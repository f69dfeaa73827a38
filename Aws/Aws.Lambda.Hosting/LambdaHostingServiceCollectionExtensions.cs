using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.AspNetCoreServer.Hosting.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

public static class LambdaHostingServiceCollectionExtensions
{
    /// <summary>
    /// Runs the app as a Lambda function when <c>AWS_LAMBDA_RUNTIME_API</c> is set (Kestrel is replaced by the
    /// Runtime API loop); does nothing otherwise, so the same app runs under Kestrel locally and in tests.
    /// </summary>
    public static IServiceCollection AddAWSLambdaHosting(this IServiceCollection services, LambdaEventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (eventSource != LambdaEventSource.HttpApi)
        {
            throw new NotSupportedException($"Only {nameof(LambdaEventSource.HttpApi)} (payload format 2.0) is supported, not {eventSource}.");
        }

        var runtimeApi = Environment.GetEnvironmentVariable(LambdaRuntimeApiClient.RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(runtimeApi))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider => new LambdaRuntimeApiClient(runtimeApi, provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TelemetryFlusher>();
        services.AddSingleton<ILoggerProvider, LambdaInitErrorReporter>();

        // Registered after the web host's own IServer, so this one is resolved.
        services.AddSingleton<IServer, LambdaRuntimeServer>();
        return services;
    }
}
