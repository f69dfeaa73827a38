using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Tap.Aws.Errors;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>What a launcher needs of LocalAws: its limits, and where a started process finds LocalAws.</summary>
/// <param name="Concurrency">The most environments of one function.</param>
/// <param name="IdleTimeout">How long a started environment may wait for an invocation before it is stopped.</param>
/// <param name="Endpoint">LocalAws's own HTTP address (<c>http://127.0.0.1:4566</c>), once it listens.</param>
internal sealed record LaunchSettings(int Concurrency, TimeSpan IdleTimeout, Func<Uri?> Endpoint, string Region);

/// <summary>
/// Starts a deployed function's execution environments as Lambda does, on demand: for a <c>provided.*</c> runtime
/// the package's <c>bootstrap</c>, in the unpacked package (<c>LAMBDA_TASK_ROOT</c>), with Lambda's environment
/// variables, the function's own, and its role's temporary credentials, registered so its Runtime API admits it.
/// Its standard output and error are the function's log. It stops environments idle past the timeout and every one
/// when the function changes or goes.
/// </summary>
internal sealed partial class EnvironmentLauncher : IDisposable
{
    /// <summary>The runtimes whose environment is the package's own <c>bootstrap</c>.</summary>
    public const string CustomRuntimePrefix = "provided";

    private const string TaskRootVariable = "LAMBDA_TASK_ROOT";

    private readonly string _codeDirectory;
    private readonly LaunchSettings _settings;
    private readonly ExecutionEnvironmentRegistry _registry;
    private readonly IamDirectory _iam;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, Launched> _processes = new();
    private readonly ITimer _idleCheck;

    public EnvironmentLauncher(LambdaFunction function, string codeDirectory, LaunchSettings settings, ExecutionEnvironmentRegistry registry, IamDirectory iam, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(settings);
        Function = function;
        _codeDirectory = codeDirectory;
        _settings = settings;
        _registry = registry;
        _iam = iam;
        _logger = logger;
        var period = TimeSpan.FromSeconds(Math.Clamp(settings.IdleTimeout.TotalSeconds / 4, 0.25, 15));
        _idleCheck = TimeProvider.System.CreateTimer(_ => StopIdle(), null, period, period);
    }

    /// <summary>The function as this launcher starts it (a changed function gets a new launcher).</summary>
    public LambdaFunction Function { get; }

    /// <summary>The runtime that queues this function's invocations; set once, before the first launch.</summary>
    public FunctionRuntime? Runtime { get; set; }

    /// <summary>The most environments at once: LocalAws's limit, or the function's reserved concurrency when lower.</summary>
    public int Limit => Math.Min(_settings.Concurrency, Function.ReservedConcurrency ?? int.MaxValue);

    /// <summary>Lambda's Invoke error when LocalAws cannot run this runtime at all; the deploy itself succeeds, as in Lambda.</summary>
    public AwsError? CannotRun => Function.Runtime is { } runtime && runtime.StartsWith(CustomRuntimePrefix, StringComparison.Ordinal)
        ? null
        : new AwsError(502, "InvalidRuntimeException",
            $"The runtime parameter of {Function.Runtime} is not supported by LocalAws, which runs the custom runtimes (provided.al2023, provided.al2) only: package the function with its own bootstrap.");

    /// <summary>How many processes it has started that are still running.</summary>
    public int Running => _processes.Count;

    /// <summary>Whether <paramref name="environment"/> is one it started and has just polled for the first time.</summary>
    public bool ClaimStarted(ExecutionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.ProcessId is { } pid && _processes.TryGetValue(pid, out var launched) && Interlocked.Exchange(ref launched.Polled, 1) == 0;
    }

    /// <summary>
    /// Starts one environment. A start that fails (no bootstrap, not executable, the role gone, an exit before its
    /// first poll) is reported to <see cref="Runtime"/> as Lambda reports an init failure.
    /// </summary>
    public void Launch()
    {
        var runtime = Runtime ?? throw new InvalidOperationException("The launcher has no runtime.");
        var bootstrap = Path.Combine(_codeDirectory, "bootstrap");
        if (!File.Exists(bootstrap))
        {
            runtime.LaunchFailed("Runtime.InvalidEntrypoint", $"Couldn't find valid bootstrap(s): [{bootstrap}]");
            return;
        }

        if (_settings.Endpoint() is not { } endpoint)
        {
            runtime.LaunchFailed("Runtime.Unavailable", "LocalAws has no HTTP address its execution environments could reach.");
            return;
        }

        if (_iam.FindRole(Function.Role) is not { } role)
        {
            runtime.LaunchFailed("Runtime.InvalidRole", $"The role defined for the function cannot be assumed by Lambda: {Function.Role} does not exist.");
            return;
        }

        var start = new ProcessStartInfo(bootstrap)
        {
            WorkingDirectory = _codeDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.Environment.Clear();
        foreach (var (name, value) in Variables(endpoint, _iam.IssueSession(role, Function.Name, TimeSpan.FromHours(12))))
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var launched = new Launched(process);

        // Attached before the start, so an exit at once is still seen.
        process.Exited += (_, _) => Exited(launched);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            runtime.LaunchFailed("Runtime.InvalidEntrypoint", $"fork/exec {bootstrap}: {ex.Message}");
            return;
        }

        launched.ProcessId = process.Id;
        _processes[launched.ProcessId] = launched;
        if (launched.HasExited)
        {
            _processes.TryRemove(launched.ProcessId, out _);
        }

        process.OutputDataReceived += (_, line) => Output(launched.ProcessId, line.Data);
        process.ErrorDataReceived += (_, line) => Output(launched.ProcessId, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        if (_registry.Register(Function.Name, launched.ProcessId) is null)
        {
            // It exited already: its exit handler reports it.
            return;
        }

        LogStarted(_logger, Function.Name, launched.ProcessId);
    }

    /// <summary>Stops every environment it started (the function changed or was deleted, or LocalAws stops).</summary>
    public void StopAll()
    {
        foreach (var launched in _processes.Values)
        {
            Stop(launched);
        }
    }

    public void Dispose()
    {
        _idleCheck.Dispose();
        StopAll();
    }

    /// <summary>Lambda's environment for a runtime, then the function's own variables (Lambda refuses reserved names in them).</summary>
    private Dictionary<string, string> Variables(Uri endpoint, TemporaryCredentials credentials)
    {
        var function = Function;
        var address = endpoint.GetLeftPart(UriPartial.Authority);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
            ["LANG"] = "en_US.UTF-8",
            ["TZ"] = ":UTC",
            ["_HANDLER"] = function.Handler ?? string.Empty,
            [TaskRootVariable] = _codeDirectory,
            ["LAMBDA_RUNTIME_DIR"] = _codeDirectory,
            ["AWS_REGION"] = _settings.Region,
            ["AWS_DEFAULT_REGION"] = _settings.Region,
            ["AWS_LAMBDA_FUNCTION_NAME"] = function.Name,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = function.MemorySizeMb.ToString(CultureInfo.InvariantCulture),
            ["AWS_LAMBDA_FUNCTION_VERSION"] = LambdaFunction.LatestVersion,
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = function.LogGroup,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTime.UtcNow:yyyy/MM/dd}/[{LambdaFunction.LatestVersion}]{Guid.NewGuid():N}",
            ["AWS_LAMBDA_RUNTIME_API"] = $"{endpoint.Authority}/{function.Name}",
            ["AWS_ACCESS_KEY_ID"] = credentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = credentials.SecretAccessKey,
            ["AWS_SESSION_TOKEN"] = credentials.SessionToken,

            // Not in Lambda: the function's AWS SDK calls go to LocalAws, unless its own variables say otherwise.
            ["AWS_ENDPOINT_URL"] = address,
        };
        if (function.JsonLogs)
        {
            variables["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
        }

        foreach (var (name, value) in function.Environment)
        {
            variables[name] = value;
        }

        return variables;
    }

    private void Output(int pid, string? line)
    {
        if (line is not null)
        {
            Runtime?.FunctionOutput(pid, line);
        }
    }

    private void Exited(Launched launched)
    {
        var process = launched.Process;
        launched.HasExited = true;
        _processes.TryRemove(launched.ProcessId, out _);
        int? code = null;
        try
        {
            // Lets the output readers finish, so the last lines are logged before the exit is.
            process.WaitForExit();
            code = process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            // No exit code to report.
        }

        process.Dispose();
        if (Volatile.Read(ref launched.Polled) == 0 && !launched.Stopped)
        {
            Runtime?.LaunchFailed("Runtime.ExitError", string.Create(CultureInfo.InvariantCulture, $"Runtime exited with error: exit status {code}"));
        }

        LogExited(_logger, Function.Name, launched.ProcessId, code);
    }

    private void StopIdle()
    {
        if (Runtime is not { } runtime)
        {
            return;
        }

        foreach (var pid in runtime.RetireIdle(_settings.IdleTimeout, pid => _processes.ContainsKey(pid)))
        {
            if (_processes.TryGetValue(pid, out var launched))
            {
                LogIdleStop(_logger, Function.Name, pid);
                Stop(launched);
            }
        }
    }

    private static void Stop(Launched launched)
    {
        launched.Stopped = true;
        try
        {
            launched.Process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
            // It has exited already.
        }
    }

    private sealed class Launched(Process process)
    {
        public Process Process => process;

        public int ProcessId { get; set; }

        public bool HasExited { get; set; }

        /// <summary>1 once it polled its Runtime API (it started); read and set with Interlocked.</summary>
        public int Polled;

        public bool Stopped { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: started execution environment pid:{ProcessId}")]
    private static partial void LogStarted(ILogger logger, string function, int processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: execution environment pid:{ProcessId} exited (code {ExitCode})")]
    private static partial void LogExited(ILogger logger, string function, int processId, int? exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function {Function}: stopping execution environment pid:{ProcessId}, idle past its timeout")]
    private static partial void LogIdleStop(ILogger logger, string function, int processId);
}
