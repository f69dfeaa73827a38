using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tap.Aws.Http;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// Registers each process the AppHost starts for a Lambda function with LocalAws, as LocalAws's admin, so that the
/// function's Runtime API admits it (and the app it runs: the registered process is the <c>dotnet run</c> that starts
/// it) and no other process. Each start of a replica registers its new process; each start of LocalAws, which keeps
/// registrations in memory, registers every running replica again. Until then a replica's <c>/next</c> waits.
/// </summary>
internal sealed partial class LambdaEnvironmentRegistrar(ResourceNotificationService notifications, ResourceLoggerService resourceLoggers) : BackgroundService
{
    // The snapshot property DCP fills with an executable's process id (the dashboard's "Process ID").
    private const string ProcessIdProperty = "executable.pid";

    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, (LambdaProjectResource Function, LocalAwsResource LocalAws, int ProcessId)> _replicas = new(StringComparer.Ordinal);
    private readonly Dictionary<LocalAwsResource, (int ProcessId, CancellationTokenSource Run)> _localAwsRuns = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                var terminal = update.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state);
                var processId = terminal ? null : ProcessId(update.Snapshot);
                switch (update.Resource)
                {
                    case LocalAwsResource localAws:
                        ObserveLocalAws(localAws, processId, terminal, stoppingToken);
                        break;
                    case LambdaProjectResource function when function.Annotations.OfType<LocalAwsFunctionAnnotation>().SingleOrDefault() is { } settings:
                        ObserveReplica(function, settings.LocalAws, update.ResourceId, processId, terminal);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping.
        }
        finally
        {
            foreach (var (_, run) in _localAwsRuns.Values)
            {
                await run.CancelAsync().ConfigureAwait(false);
                run.Dispose();
            }
        }
    }

    /// <summary>A new LocalAws process knows no registration: every running replica is registered again with it.</summary>
    private void ObserveLocalAws(LocalAwsResource localAws, int? processId, bool terminal, CancellationToken stoppingToken)
    {
        var known = _localAwsRuns.GetValueOrDefault(localAws);
        if (!terminal && (processId is null || processId == known.ProcessId))
        {
            return;
        }

        known.Run?.Cancel();
        known.Run?.Dispose();
        _localAwsRuns.Remove(localAws);
        if (terminal || processId is not { } pid)
        {
            return;
        }

        _localAwsRuns[localAws] = (pid, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
        foreach (var (instanceId, replica) in _replicas.Where(r => r.Value.LocalAws == localAws))
        {
            Register(localAws, replica.Function, instanceId, replica.ProcessId);
        }
    }

    private void ObserveReplica(LambdaProjectResource function, LocalAwsResource localAws, string instanceId, int? processId, bool terminal)
    {
        if (terminal)
        {
            _replicas.TryRemove(instanceId, out _);
            return;
        }

        if (processId is not { } pid || (_replicas.TryGetValue(instanceId, out var known) && known.ProcessId == pid))
        {
            return;
        }

        // While LocalAws's process is not known yet, its start registers the replica.
        _replicas[instanceId] = (function, localAws, pid);
        if (_localAwsRuns.ContainsKey(localAws))
        {
            Register(localAws, function, instanceId, pid);
        }
    }

    private void Register(LocalAwsResource localAws, LambdaProjectResource function, string instanceId, int processId)
    {
        var run = _localAwsRuns[localAws].Run.Token;
        _ = Task.Run(() => RegisterAsync(localAws, function, instanceId, processId, run), CancellationToken.None);
    }

    /// <summary>Registers until LocalAws answers (it may still be starting), the replica moves on, or this LocalAws run ends.</summary>
    private async Task RegisterAsync(LocalAwsResource localAws, LambdaProjectResource function, string instanceId, int processId, CancellationToken run)
    {
        var logger = resourceLoggers.GetLogger(instanceId);
        try
        {
            var admin = await localAws.GetAdminCredentialsAsync(run).ConfigureAwait(false);
            using var client = SignedHttpClient.Create(new BasicAWSCredentials(admin.AccessKey, admin.SecretKey), localAws.Region, ExecutionEnvironmentRegistration.SigningName);
            var settings = function.Annotations.OfType<LocalAwsFunctionAnnotation>().Single();
            var functionName = settings.FunctionName;
            var endpoint = new Uri(localAws.PrimaryEndpoint.Url);
            while (_replicas.TryGetValue(instanceId, out var current) && current.ProcessId == processId)
            {
                try
                {
                    await ExecutionEnvironmentRegistration.RegisterAsync(client, endpoint, functionName, processId, run).ConfigureAwait(false);
                    LogRegistered(logger, processId, functionName);
                    return;
                }
                catch (HttpRequestException ex) when (ex.StatusCode is null or >= HttpStatusCode.InternalServerError)
                {
                    // LocalAws is not listening yet, or is restarting.
                    await Task.Delay(RetryInterval, run).ConfigureAwait(false);
                }
                catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.NotFound && settings.IsDeployed)
                {
                    // The stack has not deployed the function (again) yet: a LocalAws whose state was reset, say.
                    await Task.Delay(RetryInterval, run).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            // This LocalAws run ended: the next one registers the replica again.
        }
        catch (HttpRequestException ex)
        {
            // Refused (the process exited before LocalAws saw it, say): the function's log says so.
            LogRefused(logger, ex.Message);
        }
    }

    private static int? ProcessId(CustomResourceSnapshot snapshot)
    {
        var value = snapshot.Properties.FirstOrDefault(p => p.Name == ProcessIdProperty)?.Value;
        return value switch
        {
            int pid => pid,
            long pid => (int)pid,
            string text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) => pid,
            _ => null,
        };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Process {ProcessId} is registered with LocalAws as an execution environment of function {Function}.")]
    private static partial void LogRegistered(ILogger logger, int processId, string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message}")]
    private static partial void LogRefused(ILogger logger, string message);
}
