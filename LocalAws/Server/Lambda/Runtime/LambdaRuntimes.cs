using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections.Features;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// Every configured function's runtime, and the execution environments behind Runtime API requests. An environment
/// is the PROCESS behind a <c>/next</c> connection (Linux: the client socket's inode, asked of the kernel by the
/// connection's 4-tuple, then the process holding it, searched among known environments and their children first),
/// because many runtimes open a new connection per call; a watcher notices its exit within
/// <see cref="WatchInterval"/>. Where the process cannot be known (no <c>/proc</c>, or a client inside LocalAws's own
/// process), the environment is the connection, and its closing is the exit.
/// </summary>
internal sealed partial class LambdaRuntimes : IDisposable
{
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<string, FunctionRuntime> _functions;
    private readonly ConcurrentDictionary<string, ExecutionEnvironment> _byConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (FunctionRuntime Runtime, ExecutionEnvironment Environment)> _byProcess = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly ITimer? _watcher;

    public LambdaRuntimes(IReadOnlyList<LambdaFunction> functions, TimeProvider clock, TimeSpan queueTimeout, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(loggers);
        _clock = clock;
        _logger = loggers.CreateLogger<LambdaRuntimes>();
        _functions = functions.ToDictionary(
            f => f.Name,
            f => new FunctionRuntime(f, clock, queueTimeout, new PlatformLog(loggers.CreateLogger("Tap.LocalAws.Lambda." + f.Name), clock)),
            StringComparer.Ordinal);

        // Real processes exit in real time, whatever clock the invocations use.
        _watcher = LinuxProcesses.IsAvailable && functions.Count > 0
            ? TimeProvider.System.CreateTimer(_ => Watch(), null, WatchInterval, WatchInterval)
            : null;
    }

    public IEnumerable<FunctionRuntime> Functions => _functions.Values;

    public FunctionRuntime? Find(string name) => _functions.GetValueOrDefault(name);

    /// <summary>The environment behind this Runtime API request: known from an earlier request, or new.</summary>
    public ExecutionEnvironment Identify(FunctionRuntime runtime, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(context);
        var connection = context.Connection;
        var connectionKey = $"{runtime.Function.Name}/{connection.Id}";
        if (_byConnection.TryGetValue(connectionKey, out var known) && !known.Exited)
        {
            return known;
        }

        var environment = ByProcess(runtime, connection) ?? ByConnection(runtime, context);
        _byConnection[connectionKey] = environment;
        context.Features.Get<IConnectionLifetimeFeature>()?.ConnectionClosed.Register(() => _byConnection.TryRemove(connectionKey, out _));
        return environment;
    }

    public void Dispose() => _watcher?.Dispose();

    private ExecutionEnvironment? ByProcess(FunctionRuntime runtime, ConnectionInfo connection)
    {
        if (!LinuxProcesses.IsAvailable || connection.RemoteIpAddress is not { } remote || connection.LocalIpAddress is not { } local
            || connection.RemotePort == 0 || connection.LocalPort == 0)
        {
            return null;
        }

        var likely = _byProcess.Values.Where(p => p.Runtime == runtime).Select(p => p.Environment.ProcessId!.Value).ToList();
        var now = _clock.GetUtcNow();
        if (SocketDiagnostics.FindInode(new IPEndPoint(remote, connection.RemotePort), new IPEndPoint(local, connection.LocalPort)) is not { } inode
            || LinuxProcesses.FindProcessHolding(inode, likely) is not { } holder)
        {
            return null;
        }

        // A client inside LocalAws's own process (an in-process test host) is told apart by its connection.
        var pid = LinuxProcesses.RuntimeProcess(holder);
        if (pid == Environment.ProcessId || LinuxProcesses.StartTime(pid, now) is not { } started)
        {
            return null;
        }

        var key = $"{runtime.Function.Name}/pid:{pid}";
        if (_byProcess.TryGetValue(key, out var existing) && !existing.Environment.Exited && SameProcess(existing.Environment, started))
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
            if (!environment.Exited && LinuxProcesses.StartTime(pid, now) is { } started && SameProcess(environment, started))
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
    }

    // /proc start times come in 10 ms ticks, read against a moving clock: within a second is the same process.
    private static bool SameProcess(ExecutionEnvironment environment, DateTimeOffset started) =>
        (environment.ProcessStarted!.Value - started).Duration() < TimeSpan.FromSeconds(1);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: execution environment {Environment} is polling")]
    private static partial void LogEnvironment(ILogger logger, string function, string environment);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: execution environment {Environment} exited")]
    private static partial void LogExit(ILogger logger, string function, string environment);
}
