namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// One execution environment of a function: a process polling its Runtime API (or, where the process cannot be
/// known, one connection). It runs one invocation at a time.
/// </summary>
internal sealed class ExecutionEnvironment(string id, int? processId, DateTimeOffset? processStarted, DateTimeOffset firstSeen)
{
    /// <summary><c>pid:{n}</c>, or <c>connection:{id}</c> where the process is unknown.</summary>
    public string Id => id;

    public int? ProcessId => processId;

    /// <summary>When the process started (for Init Duration and to tell a reused pid apart), when known.</summary>
    public DateTimeOffset? ProcessStarted => processStarted;

    /// <summary>The invocation it is running; guarded by its function's lock.</summary>
    public Invocation? Current { get; set; }

    /// <summary>When it last began to wait for an invocation (a <see cref="TimeProvider.GetTimestamp"/>); guarded by its function's lock.</summary>
    public long IdleSince { get; set; }

    /// <summary>Whether a <c>/next</c> from it is waiting for an event; guarded by its function's lock.</summary>
    public bool Polling { get; set; }

    /// <summary>The time from the process's start to its first <c>/next</c>: Lambda's Init Duration.</summary>
    public TimeSpan? InitDuration => processStarted is { } started ? firstSeen - started : null;

    /// <summary>Invocations handed to it so far; the first one reports <see cref="InitDuration"/>. Guarded by its function's lock.</summary>
    public int InvocationCount { get; set; }

    /// <summary>Whether it went away (its process exited, its connection closed, or it reported an init error).</summary>
    public bool Exited { get; set; }

    /// <summary>The process's peak memory when last read (its <c>VmHWM</c> outlives nothing: a crash takes it along).</summary>
    public long? PeakResidentBytes { get; set; }
}
