using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Tap.Aws.SecretsManager.Tests;

/// <summary>The client as an application gets it from DI, with the network replaced by <see cref="StubAwsHandler"/>.</summary>
public sealed class SecretsManagerTestHost : IDisposable
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public static readonly Uri Endpoint = new("http://127.0.0.1:4566/");

    public static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    /// <param name="realClock">Retry tests need real time to pass between attempts; wire tests need a fixed time.</param>
    public SecretsManagerTestHost(bool realClock = false, bool withServiceDefaultsResilience = false, int maxErrorRetry = 2)
    {
        Clock = realClock ? TimeProvider.System : new FakeTimeProvider(Now);
        var services = new ServiceCollection();
        services.AddLogging();
        if (withServiceDefaultsResilience)
        {
            // What ServiceDefaults does for every HttpClient in an app.
            services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        }

        services.AddSingleton<TimeProvider>(Clock);
        services.AddSingleton<AWSCredentials>(new BasicAWSCredentials(AccessKeyId, SecretAccessKey));
        services.AddTapSecretsManager(config =>
        {
            config.RegionEndpoint = RegionEndpoint.USEast1;
            config.ServiceURL = Endpoint.ToString();
            config.MaxErrorRetry = maxErrorRetry;
        });
        services.AddHttpClient(TapSecretsManagerServiceCollectionExtensions.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => Network);
        _provider = services.BuildServiceProvider();
    }

    public TimeProvider Clock { get; }

    public StubAwsHandler Network { get; } = new();

    public IAmazonSecretsManager Client => _provider.GetRequiredService<IAmazonSecretsManager>();

    public void Dispose() => _provider.Dispose();
}
