using System.Collections.Concurrent;
using System.Text.Json;
using Tap.LocalAws.Tests.Lambda;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// A function the tests script, running in-process: <c>environments</c> test runtimes polling LocalAws's Runtime API,
/// each handing every event to <c>handler</c>, which answers (or not) through its runtime client. Every event received
/// is kept, so a test can see what the gateway sent, and that a refused request sent nothing.
/// </summary>
public sealed class ScriptedFunction : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RuntimeApiClient> _environments = [];
    private readonly List<Task> _loops = [];

    public ScriptedFunction(LambdaTestHost host, string function, int environments, Func<RuntimeApiClient, RuntimeApiClient.Event, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(host);
        for (var i = 0; i < environments; i++)
        {
            var environment = host.Environment(function);
            _environments.Add(environment);
            _loops.Add(Task.Run(() => RunAsync(environment, handler)));
        }
    }

    public ConcurrentQueue<JsonElement> Events { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var environment in _environments)
        {
            environment.Dispose();
        }

        await Task.WhenAll(_loops.Select(loop => loop.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    private async Task RunAsync(RuntimeApiClient environment, Func<RuntimeApiClient, RuntimeApiClient.Event, Task> handler)
    {
        while (!_stop.IsCancellationRequested)
        {
            var @event = await environment.NextAsync(_stop.Token);
            using (var document = JsonDocument.Parse(@event.Body))
            {
                Events.Enqueue(document.RootElement.Clone());
            }

            await handler(environment, @event);
        }
    }
}
