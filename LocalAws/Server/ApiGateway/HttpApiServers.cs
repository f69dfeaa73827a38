using Tap.LocalAws.Lambda.Runtime;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// Serves each configured HTTP API on its own URL, as API Gateway serves each API on its own host: a listener that
/// answers only the API's requests (LocalAws's own endpoints are not reachable there). The listeners share LocalAws's
/// functions, IAM and logging; they start and stop with LocalAws, and a port in use stops LocalAws with a message
/// naming the setting that moves it. An API that waits for its functions starts listening once each has a started
/// execution environment.
/// </summary>
internal sealed partial class HttpApiServers(IReadOnlyList<HttpApiGateway> gateways, LambdaRuntimes runtimes, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly List<(HttpApiGateway Gateway, WebApplication App)> _running = [];
    private readonly ILogger _logger = loggers.CreateLogger<HttpApiServers>();
    // Not disposed: it has no timer or links to release, and the host may stop this after disposing it.
    private readonly CancellationTokenSource _stopped = new();
    private readonly List<Task> _waiting = [];

    // The host may dispose this while a stop it gave up waiting for is still going: both work on a copy of the list.
    private readonly Lock _gate = new();
    private Task _stopping = Task.CompletedTask;

    /// <summary>Where an API listens once started (the bound port, when it was configured as 0).</summary>
    public Uri Address(string apiName)
    {
        WebApplication? app;
        lock (_gate)
        {
            app = _running.FirstOrDefault(r => r.Gateway.Api.Name == apiName).App;
        }

        return (app is null ? null : GatewayListener.Address(app))
            ?? throw new InvalidOperationException($"The HTTP API {apiName} is not listening.");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < gateways.Count; i++)
        {
            if (gateways[i].Api.WaitForFunctions)
            {
                _waiting.Add(ListenWhenFunctionsStartedAsync(i));
            }
            else
            {
                await ListenAsync(i, cancellationToken);
            }
        }
    }

    private async Task ListenWhenFunctionsStartedAsync(int index)
    {
        var api = gateways[index].Api;
        var functions = api.Routes.Routes.Select(r => r.Function).Distinct(StringComparer.Ordinal).ToList();
        var names = string.Join(", ", functions);
        LogWaiting(_logger, api.Name, names);
        try
        {
            await Task.WhenAll(functions.Select(f => runtimes.Find(f)!.Initialized)).WaitAsync(_stopped.Token);
            await ListenAsync(index, _stopped.Token);
        }
        catch (OperationCanceledException) when (_stopped.IsCancellationRequested)
        {
            // LocalAws stopped first.
        }
        catch (InvalidOperationException ex)
        {
            LogCannotListen(_logger, ex, api.Name);
            lifetime.StopApplication();
        }
    }

    private async Task ListenAsync(int index, CancellationToken cancellationToken)
    {
        var gateway = gateways[index];
        var app = Build(gateway);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await app.DisposeAsync();
            throw;
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"The HTTP API {gateway.Api.Name} cannot listen on {gateway.Api.Url}: {ex.Message} Free the port, or set another URL in LocalAws:HttpApis:{index}:Url.", ex);
        }

        lock (_gate)
        {
            _running.Add((gateway, app));
        }

        var address = Address(gateway.Api.Name);
        LogListening(_logger, gateway.Api.Name, address, gateway.Api.Stage);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped.Cancel();
        lock (_gate)
        {
            return _stopping = StopAllAsync([.. _running.Select(r => r.App)], cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Listeners still waiting for their functions give up first, so none starts once the rest are disposed.
        await _stopped.CancelAsync();
        await Task.WhenAll(_waiting);
        Task stopping;
        WebApplication[] running;
        lock (_gate)
        {
            (stopping, running) = (_stopping, [.. _running.Select(r => r.App)]);
            _running.Clear();
        }

        // A stop still under way ends once its token is cancelled; its outcome was already reported to the host.
        await stopping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var app in running)
        {
            await app.DisposeAsync();
        }
    }

    private static async Task StopAllAsync(WebApplication[] apps, CancellationToken cancellationToken)
    {
        foreach (var app in apps)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    private WebApplication Build(HttpApiGateway gateway) =>
        GatewayListener.Build(gateway.Api.Url.GetLeftPart(UriPartial.Authority), gateway.HandleAsync, loggers);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API {Api} waits for a started environment of {Functions} before it listens")]
    private static partial void LogWaiting(ILogger logger, string api, string functions);

    [LoggerMessage(Level = LogLevel.Critical, Message = "HTTP API {Api} cannot listen; LocalAws stops")]
    private static partial void LogCannotListen(ILogger logger, Exception exception, string api);

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP API {Api} listening on {Address} (stage {Stage})")]
    private static partial void LogListening(ILogger logger, string api, Uri address, string stage);
}
