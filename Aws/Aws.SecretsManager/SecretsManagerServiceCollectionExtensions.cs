using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Extensions.Caching;
using Amazon.SecretsManager.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Tap.Aws.Credentials;
using Tap.Aws.Signing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Secrets Manager client (and its cache) with dependency injection and IHttpClientFactory.</summary>
public static class SecretsManagerServiceCollectionExtensions
{
    /// <summary>The name of the client's HttpClient in IHttpClientFactory.</summary>
    public const string HttpClientName = "AWS.SecretsManager";

    /// <summary>
    /// Adds <see cref="IAmazonSecretsManager"/>: credentials from the AWS default chain (unless an
    /// <see cref="AWSCredentials"/> is registered), SigV4 on every request, the client's own retry policy and
    /// no other resilience handler, and its spans in OpenTelemetry.
    /// </summary>
    public static IServiceCollection AddAWSSecretsManager(this IServiceCollection services, Action<AmazonSecretsManagerConfig>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<AmazonSecretsManagerConfig>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => AwsCredentialsResolver.Resolve());

#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the supported opt-out.
        services.AddHttpClient(HttpClientName)
            .AddHttpMessageHandler(provider => new SigV4SigningHandler(
                provider.GetRequiredService<AWSCredentials>(),
                ResolveRegion(provider.GetRequiredService<IOptions<AmazonSecretsManagerConfig>>().Value),
                AmazonSecretsManagerClient.SigningName,
                new SigV4Signer(provider.GetRequiredService<TimeProvider>())))
            // The client retries by AWS's rules; a second retry layer would multiply attempts.
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        services.TryAddSingleton<IAmazonSecretsManager>(provider => new AmazonSecretsManagerClient(
            provider.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            provider.GetRequiredService<IOptions<AmazonSecretsManagerConfig>>().Value,
            provider.GetRequiredService<TimeProvider>()));

        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(SecretsManagerTelemetry.ActivitySourceName));
        return services;
    }

    /// <summary>Adds <see cref="SecretsManagerCache"/> over the registered <see cref="IAmazonSecretsManager"/>.</summary>
    public static IServiceCollection AddSecretsManagerCache(this IServiceCollection services, Action<SecretCacheConfiguration>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SecretCacheConfiguration>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new SecretsManagerCache(
            provider.GetRequiredService<IAmazonSecretsManager>(),
            provider.GetRequiredService<IOptions<SecretCacheConfiguration>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<SecretsManagerCache>>()));
        return services;
    }

    private static string ResolveRegion(AmazonSecretsManagerConfig config) =>
        config.RegionEndpoint?.SystemName ?? AwsRegionResolver.ResolveRequired();
}
