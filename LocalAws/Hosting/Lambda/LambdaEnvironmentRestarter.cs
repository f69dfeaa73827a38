using System.Collections.Concurrent;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// Starts a Lambda function's process again when it crashes, as Lambda starts a new execution environment after one
/// dies; Aspire leaves an exited project exited. A crash is a replica that goes straight from Running to a terminal
/// state with a non-zero exit code while the app is not stopping; a stop asked for from the dashboard or by a command
/// is left alone. A replica that crashes again within <see cref="StableRun"/> of its restart waits
/// twice as long before the next one (up to <see cref="MaxDelay"/>), so a function that cannot start does not spin.
/// </summary>
internal sealed partial class LambdaEnvironmentRestarter(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLoggers,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    internal static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan StableRun = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Replica> _replicas = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (update.Resource is LambdaProjectResource function && update.Snapshot.State?.Text is { } state)
                {
                    Observe(function, update.ResourceId, state, update.Snapshot.ExitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
    }

    private void Observe(LambdaProjectResource function, string instanceId, string state, int? exitCode, CancellationToken stoppingToken)
    {
        var replica = _replicas.GetOrAdd(instanceId, _ => new Replica());
        var previous = replica.State;
        replica.State = state;
        if (state == KnownResourceStates.Running && previous != KnownResourceStates.Running)
        {
            replica.RunningSince = DateTimeOffset.UtcNow;
        }

        var crashed = previous == KnownResourceStates.Running
            && KnownResourceStates.TerminalStates.Contains(state)
            && exitCode is not 0
            && !lifetime.ApplicationStopping.IsCancellationRequested;
        if (!crashed)
        {
            return;
        }

        replica.Delay = DateTimeOffset.UtcNow - replica.RunningSince < StableRun && replica.Delay is { } last
            ? TimeSpan.FromTicks(Math.Min(last.Ticks * 2, MaxDelay.Ticks))
            : FirstDelay;
        var logger = resourceLoggers.GetLogger(instanceId);
        LogCrashed(logger, function.Name, exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown", replica.Delay.Value.TotalSeconds);
        _ = RestartAsync(instanceId, replica.Delay.Value, logger, stoppingToken);
    }

    private async Task RestartAsync(string instanceId, TimeSpan delay, ILogger logger, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
            var result = await commands.ExecuteCommandAsync(instanceId, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
            if (!result.Success)
            {
                LogRestartFailed(logger, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping: nothing to restart.
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nobody awaits this task: what went wrong goes to the resource's log.
            LogRestartFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The execution environment of function {Function} exited with code {ExitCode}; starting a new one in {Delay} s, as Lambda does.")]
    private static partial void LogCrashed(ILogger logger, string function, string exitCode, double delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "The execution environment could not be started again: {Message}")]
    private static partial void LogRestartFailed(ILogger logger, string? message);

    /// <summary>What was last seen of one replica; written only by the watch loop.</summary>
    private sealed class Replica
    {
        public string? State { get; set; }

        public DateTimeOffset RunningSince { get; set; }

        public TimeSpan? Delay { get; set; }
    }
}
