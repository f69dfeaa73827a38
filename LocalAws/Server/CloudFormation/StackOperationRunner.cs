using System.Collections.Concurrent;

namespace Tap.LocalAws.CloudFormation;

/// <summary>
/// Runs stack operations in the background, as CloudFormation does (the API answers with the stack id at once and
/// clients poll DescribeStacks), one at a time per stack, stopped when LocalAws stops.
/// </summary>
internal sealed partial class StackOperationRunner(IHostApplicationLifetime lifetime, ILogger<StackOperationRunner> logger)
{
    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);

    /// <summary>Whether an operation on the stack is still running.</summary>
    public bool IsRunning(string stackId) => _running.ContainsKey(stackId);

    public void Start(string stackId, string operationName, Func<CancellationToken, Task> operation)
    {
        var started = new TaskCompletionSource();
        var task = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                await operation(lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // Left in progress; the next start finds it so.
            }
            catch (Exception ex)
            {
                LogOperationFailed(logger, ex, operationName, stackId);
            }
            finally
            {
                _running.TryRemove(stackId, out _);
            }
        });
        if (!_running.TryAdd(stackId, task))
        {
            throw new InvalidOperationException($"An operation on {stackId} is already running.");
        }

        started.SetResult();
    }

    /// <summary>
    /// Waits until the stack's operation has finished, for at most <paramref name="atMost"/>. An operation that runs
    /// longer goes on in the background, as CloudFormation's do; most finish within it locally, so a client's
    /// first poll already sees the outcome instead of waiting out its poll interval (the AWS CLI's is 30 s).
    /// </summary>
    public async Task SettleAsync(string stackId, TimeSpan atMost, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(stackId, out var running))
        {
            await Task.WhenAny(running, Task.Delay(atMost, cancellationToken));
        }
    }

    /// <summary>Waits for every running operation (tests, and a graceful stop).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    [LoggerMessage(Level = LogLevel.Error, Message = "The CloudFormation operation {Operation} on {StackId} failed unexpectedly")]
    private static partial void LogOperationFailed(ILogger logger, Exception exception, string operation, string stackId);
}
