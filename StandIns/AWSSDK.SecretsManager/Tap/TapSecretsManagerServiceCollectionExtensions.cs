using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Extensions.Caching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using Tap.Aws.Credentials;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;
using Tap.Aws.Signing;

namespace Tap.Aws.SecretsManager;

/// <summary>
/// Registers the Secrets Manager client (and its cache) with dependency injection and IHttpClientFactory. The
/// official packages have no such calls (<c>AddAWSService&lt;IAmazonSecretsManager&gt;()</c> from
/// AWSSDK.Extensions.NETCore.Setup needs a client built on AWSSDK.Core's service-client pipeline), hence Tap's own.
/// </summary>
public static class TapSecretsManagerServiceCollectionExtensions
{
    /// <summary>The name of the client's HttpClient in IHttpClientFactory.</summary>
    public const string HttpClientName = "AWS.SecretsManager";

    /// <summary>
    /// Adds <see cref="IAmazonSecretsManager"/>: credentials from the AWS default chain (unless an
    /// <see cref="AWSCredentials"/> is registered), SigV4 on every request, the client's own retry policy and
    /// no other resilience handler, and its spans in OpenTelemetry.
    /// </summary>
    public static IServiceCollection AddTapSecretsManager(this IServiceCollection services, Action<AmazonSecretsManagerConfig>? configure = null)
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
                AwsServiceMetadata.SecretsManager.SigningName,
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

    /// <summary>
    /// Adds <see cref="ISecretsManagerCache"/> (a <see cref="SecretsManagerCache"/>) over the registered
    /// <see cref="IAmazonSecretsManager"/>, logging through <see cref="ILogger"/> and timed by the registered
    /// <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddTapSecretsManagerCache(
        this IServiceCollection services, Action<SecretCacheConfiguration>? configure = null, Action<TapSecretCacheOptions>? configureTap = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<SecretCacheConfiguration>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        var tapOptions = services.AddOptions<TapSecretCacheOptions>();
        if (configureTap is not null)
        {
            tapOptions.Configure(configureTap);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new SecretsManagerCache(
            provider.GetRequiredService<IAmazonSecretsManager>(),
            provider.GetRequiredService<IOptions<SecretCacheConfiguration>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<IOptions<TapSecretCacheOptions>>().Value.StaleValueGracePeriod,
            provider.GetRequiredService<ILogger<SecretsManagerCache>>()));
        services.TryAddSingleton<ISecretsManagerCache>(provider => provider.GetRequiredService<SecretsManagerCache>());
        return services;
    }

    private static string ResolveRegion(AmazonSecretsManagerConfig config) =>
        config.RegionEndpoint?.SystemName ?? AwsRegionResolver.ResolveRequired();
}
