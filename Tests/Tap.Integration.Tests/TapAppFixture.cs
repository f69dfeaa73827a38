using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>
/// Starts the real AppHost once for the whole run (each start costs ~1 GB and ~15 s) and waits until every
/// resource the tests use is healthy. Ports are random: tests build URLs from the app's endpoints.
/// </summary>
public sealed class TapAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app has not started.");

    public HttpClient CreateFunctionClient() => App.CreateHttpClient(TapApplication.Function.Name);

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Tap_AppHost>(
            ["DOTNET_LAUNCH_PROFILE=http"], cts.Token);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        _app = await builder.BuildAsync(cts.Token);
        await _app.StartAsync(cts.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync("localaws", cts.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(TapApplication.Function.Name, cts.Token);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

/// <summary>Every integration test joins this one collection, so the app starts once.</summary>
[CollectionDefinition(Name)]
public sealed class TapAppCollectionDefinition : ICollectionFixture<TapAppFixture>
{
    public const string Name = "Tap app";
}
