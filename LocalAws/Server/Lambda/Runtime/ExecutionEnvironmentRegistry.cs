namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// The processes registered as a function's execution environments (by the AppHost that started them, or by hand),
/// each known by its pid and start time so a reused pid is not mistaken for it. A process is admitted to a
/// function's Runtime API when it, or one of its ancestors, is registered for that function or is LocalAws itself
/// (so the <c>dotnet run</c> the AppHost starts stands for the app it runs, and a shell runtime for its <c>curl</c>).
/// </summary>
internal sealed class ExecutionEnvironmentRegistry
{
    // Deeper than any launcher chain (dcp → dotnet run → app → shell → curl); a walk ends at the root anyway.
    private const int MaxAncestors = 32;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Function, int ProcessId), DateTimeOffset> _registered = [];
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Completes at the next registration (then a fresh task waits for the one after).</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>Registers the running process <paramref name="processId"/> for <paramref name="function"/>.</summary>
    /// <returns>The process's start, or <see langword="null"/> when no such process runs where LocalAws can see it.</returns>
    public DateTimeOffset? Register(string function, int processId)
    {
        if (!LinuxProcesses.IsAvailable || LinuxProcesses.StartTime(processId, TimeProvider.System.GetUtcNow()) is not { } started)
        {
            return null;
        }

        TaskCompletionSource changed;
        lock (_gate)
        {
            _registered[(function, processId)] = started;
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
        return started;
    }

    /// <summary>
    /// Whether <paramref name="processId"/> may be an execution environment of <paramref name="function"/>: it or
    /// an ancestor is registered for it (the same process, by start time) or is LocalAws's own process.
    /// </summary>
    public bool Admits(string function, int processId)
    {
        var now = TimeProvider.System.GetUtcNow();
        var pid = processId;
        for (var depth = 0; depth < MaxAncestors && pid > 1; depth++)
        {
            if (pid == Environment.ProcessId || IsRegistered(function, pid, now))
            {
                return true;
            }

            // An environment of another function (LocalAws's own children among them) is never this one's.
            if (IsRegisteredElsewhere(function, pid))
            {
                return false;
            }

            if (LinuxProcesses.ParentOf(pid) is not { } parent)
            {
                return false;
            }

            pid = parent;
        }

        return false;
    }

    /// <summary>Forgets the registrations whose processes have exited.</summary>
    public void ForgetExited()
    {
        var now = TimeProvider.System.GetUtcNow();
        lock (_gate)
        {
            foreach (var (key, started) in _registered.ToList())
            {
                if (LinuxProcesses.StartTime(key.ProcessId, now) is not { } current || !LinuxProcesses.SameStart(started, current))
                {
                    _registered.Remove(key);
                }
            }
        }
    }

    /// <summary>The registered processes of <paramref name="function"/>: where its environments are searched for first.</summary>
    public IReadOnlyList<int> Registered(string function)
    {
        lock (_gate)
        {
            return [.. _registered.Keys.Where(k => k.Function == function).Select(k => k.ProcessId)];
        }
    }

    private bool IsRegisteredElsewhere(string function, int pid)
    {
        lock (_gate)
        {
            return _registered.Keys.Any(k => k.ProcessId == pid && k.Function != function);
        }
    }

    private bool IsRegistered(string function, int pid, DateTimeOffset now)
    {
        DateTimeOffset registeredStart;
        lock (_gate)
        {
            if (!_registered.TryGetValue((function, pid), out registeredStart))
            {
                return false;
            }
        }

        return LinuxProcesses.StartTime(pid, now) is { } started && LinuxProcesses.SameStart(registeredStart, started);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
