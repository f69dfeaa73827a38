using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Telemetry;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// Every configured function's runtime, and the execution environments behind Runtime API requests. An environment
/// is the PROCESS behind a connection (Linux: the client socket's inode, asked of the kernel by the connection's
/// 4-tuple, then the process holding it, searched among the function's registered processes, known environments
/// and their children first), because many runtimes open a new connection per call; a watcher notices its exit
/// within <see cref="WatchInterval"/>. Only processes the <see cref="Registry"/> admits may use a function's Runtime
/// API: a stranger's <c>/next</c> waits up to <see cref="RegistrationWait"/> for a registration, then is refused. A
/// client inside LocalAws's own process (an in-process test host) is LocalAws itself: there, each connection is an
/// environment and its closing is the exit. Where processes cannot be seen (no <c>/proc</c>), every loopback
/// client is admitted, one environment per connection, and a warning says so at start.
/// </summary>
internal sealed partial class LambdaRuntimes : IDisposable
{
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long a process that is not (yet) registered may wait in <c>/next</c> or <c>/init/error</c>: the AppHost
    /// registers a process just after starting it, so its first poll may arrive first.
    /// </summary>
    public static readonly TimeSpan RegistrationWait = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, FunctionRuntime> _functions;
    private readonly ConcurrentDictionary<string, ExecutionEnvironment> _byConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (FunctionRuntime Runtime, ExecutionEnvironment Environment)> _byProcess = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly TimeSpan _queueTimeout;
    private readonly ResourceTelemetryRegistry _telemetry;
    private readonly ILogger _logger;
    private readonly ITimer? _watcher;

    public LambdaRuntimes(IReadOnlyList<LambdaFunction> functions, TimeProvider clock, TimeSpan queueTimeout, ResourceTelemetryRegistry telemetry, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(loggers);
        (_clock, _queueTimeout, _telemetry) = (clock, queueTimeout, telemetry);
        _logger = loggers.CreateLogger<LambdaRuntimes>();
        _functions = new(functions.Select(f => KeyValuePair.Create(f.Name, NewRuntime(f, launcher: null))), StringComparer.Ordinal);

        // Real processes exit in real time, whatever clock the invocations use. Functions may be deployed later.
        _watcher = LinuxProcesses.IsAvailable ? TimeProvider.System.CreateTimer(_ => Watch(), null, WatchInterval, WatchInterval) : null;
        if (!LinuxProcesses.IsAvailable && functions.Count > 0)
        {
            LogUnauthenticated(_logger);
        }
    }

    public IEnumerable<FunctionRuntime> Functions => _functions.Values;

    /// <summary>The processes registered as the functions' execution environments.</summary>
    public ExecutionEnvironmentRegistry Registry { get; } = new();

    public FunctionRuntime? Find(string name) => _functions.GetValueOrDefault(name);

    /// <summary>
    /// Serves a function deployed at run time (or its new version), its environments started by
    /// <paramref name="launcher"/>, or, without one, only those its host registers.
    /// </summary>
    public void Deploy(LambdaFunction function, EnvironmentLauncher? launcher)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (_functions.TryGetValue(function.Name, out var existing))
        {
            existing.Redeploy(function, launcher);
        }
        else
        {
            _functions[function.Name] = NewRuntime(function, launcher);
        }
    }

    /// <summary>Stops serving a deleted function: what waits for it fails, its environments stop.</summary>
    public void Remove(string name)
    {
        if (_functions.TryRemove(name, out var runtime))
        {
            runtime.Close();
        }
    }

    /// <summary>
    /// The environment behind this Runtime API request: known from an earlier request, or new. A process that may
    /// not use the function's Runtime API waits up to <paramref name="registrationWait"/> for its registration, then
    /// is refused (403 <c>AccessDeniedException</c>).
    /// </summary>
    public async ValueTask<ExecutionEnvironment> IdentifyAsync(FunctionRuntime runtime, HttpContext context, TimeSpan registrationWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(context);
        var connection = context.Connection;
        var connectionKey = $"{runtime.Function.Name}/{connection.Id}";
        if (_byConnection.TryGetValue(connectionKey, out var known) && !known.Exited)
        {
            return known;
        }

        ExecutionEnvironment environment;
        if (PeerProcess(runtime, connection) is not { } pid)
        {
            environment = ByConnection(runtime, context);
        }
        else
        {
            await AdmitAsync(runtime, pid, registrationWait, cancellationToken).ConfigureAwait(false);
            environment = ByProcess(runtime, pid);
        }

        _byConnection[connectionKey] = environment;
        context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed.Register(() => _byConnection.TryRemove(connectionKey, out _));
        return environment;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        foreach (var runtime in _functions.Values)
        {
            runtime.Close();
        }
    }

    private FunctionRuntime NewRuntime(LambdaFunction function, EnvironmentLauncher? launcher) =>
        new(function, _clock, _queueTimeout, _telemetry.Function(function.Name), launcher);

    /// <summary>
    /// The process at the far end of the connection, or <see langword="null"/> where the connection is the
    /// environment (LocalAws's own process, no real socket, or no <c>/proc</c>); throws for a client that is no
    /// process LocalAws can see.
    /// </summary>
    private int? PeerProcess(FunctionRuntime runtime, ConnectionInfo connection)
    {
        if (connection.RemoteIpAddress is not { } remote || connection.LocalIpAddress is not { } local || connection.RemotePort == 0 || connection.LocalPort == 0)
        {
            return null;
        }

        if (!LinuxProcesses.IsAvailable)
        {
            return IPAddress.IsLoopback(remote) ? null : throw Refused(runtime, $"a client at {remote} is not on this machine");
        }

        var name = runtime.Function.Name;
        var likely = Registry.Registered(name)
            .Concat(_byProcess.Values.Where(p => p.Runtime == runtime).Select(p => p.Environment.ProcessId!.Value))
            .Distinct()
            .ToList();
        if (SocketDiagnostics.FindInode(new IPEndPoint(remote, connection.RemotePort), new IPEndPoint(local, connection.LocalPort)) is not { } inode
            || LinuxProcesses.FindProcessHolding(inode, likely) is not { } holder)
        {
            throw Refused(runtime, $"the client at {remote}:{connection.RemotePort} is no process LocalAws can see on this machine");
        }

        var pid = LinuxProcesses.RuntimeProcess(holder);
        return pid == Environment.ProcessId ? null : pid;
    }

    /// <summary>Returns once <paramref name="pid"/> is admitted to the function's Runtime API; throws when it is not within <paramref name="wait"/>.</summary>
    private async Task AdmitAsync(FunctionRuntime runtime, int pid, TimeSpan wait, CancellationToken cancellationToken)
    {
        var name = runtime.Function.Name;
        var deadline = TimeProvider.System.GetUtcNow() + wait;
        while (true)
        {
            // The signal is taken before the check, so a registration between the two is not missed.
            var changed = Registry.Changed;
            if (Registry.Admits(name, pid))
            {
                return;
            }

            var remaining = deadline - TimeProvider.System.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                LogRefused(_logger, name, pid, LinuxProcesses.CommandName(pid) ?? "?");
                throw Refused(runtime, string.Create(CultureInfo.InvariantCulture,
                    $"process {pid} is not one of its execution environments (LocalAws admits the processes the AppHost starts for it and those registered with POST {ExecutionEnvironmentRegistration.Path(name)})"));
            }

            try
            {
                await changed.WaitAsync(remaining, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Checked once more, then refused.
            }
        }
    }

    private ExecutionEnvironment ByProcess(FunctionRuntime runtime, int pid)
    {
        var now = _clock.GetUtcNow();
        var started = LinuxProcesses.StartTime(pid, now)
            ?? throw Refused(runtime, string.Create(CultureInfo.InvariantCulture, $"process {pid} has exited"));
        var key = $"{runtime.Function.Name}/pid:{pid}";
        if (_byProcess.TryGetValue(key, out var existing) && !existing.Environment.Exited && LinuxProcesses.SameStart(existing.Environment.ProcessStarted!.Value, started))
        {
            return existing.Environment;
        }

        var environment = new ExecutionEnvironment($"pid:{pid}", pid, started, now);
        _byProcess[key] = (runtime, environment);
        LogEnvironment(_logger, runtime.Function.Name, environment.Id);
        return environment;
    }

    private ExecutionEnvironment ByConnection(FunctionRuntime runtime, HttpContext context)
    {
        var environment = new ExecutionEnvironment($"connection:{context.Connection.Id}", null, null, _clock.GetUtcNow());
        var closed = context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed ?? context.RequestAborted;
        closed.Register(() => runtime.EnvironmentExited(environment));
        LogEnvironment(_logger, runtime.Function.Name, environment.Id);
        return environment;
    }

    private void Watch()
    {
        var now = TimeProvider.System.GetUtcNow();
        foreach (var (key, (runtime, environment)) in _byProcess)
        {
            var pid = environment.ProcessId!.Value;
            if (!environment.Exited && LinuxProcesses.StartTime(pid, now) is { } started && LinuxProcesses.SameStart(environment.ProcessStarted!.Value, started))
            {
                // Sampled while it runs, so a crash still reports the peak it reached.
                environment.PeakResidentBytes = LinuxProcesses.PeakResidentBytes(pid) ?? environment.PeakResidentBytes;
            }
            else if (_byProcess.TryRemove(key, out _) && !environment.Exited)
            {
                // Ticks may overlap: only the one that removed the environment reports its exit.
                LogExit(_logger, runtime.Function.Name, environment.Id);
                runtime.EnvironmentExited(environment);
            }
        }

        Registry.ForgetExited();
    }

    private static RuntimeApiException Refused(FunctionRuntime runtime, string reason) =>
        new(403, "AccessDeniedException", $"Only the execution environments of function {runtime.Function.Name} may use its Runtime API: {reason}.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: execution environment {Environment} is polling")]
    private static partial void LogEnvironment(ILogger logger, string function, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: execution environment {Environment} exited")]
    private static partial void LogExit(ILogger logger, string function, string environment);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function}: process {ProcessId} ({Command}) is not one of its execution environments; its Runtime API call was refused")]
    private static partial void LogRefused(ILogger logger, string function, int processId, string command);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This system has no /proc: the Lambda Runtime API cannot tell processes apart, so it admits every local client, one execution environment per connection")]
    private static partial void LogUnauthenticated(ILogger logger);
}
