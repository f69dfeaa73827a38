using System.Diagnostics;
using System.Text;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// One invocation, from the moment it is queued to the moment it ends (a response, an error, a timeout, or its
/// environment's exit); it ends exactly once, whoever ends it first.
/// </summary>
internal sealed class Invocation(LambdaFunction function, InvocationRequest request, string traceHeader)
{
    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _log = new();
    private int _claimed;

    // The deadlines pending on it: its time in the queue, then its run's timeout. Disposed as soon as they no longer
    // apply, so an invocation that ended leaves no timer behind (one holding it, payload and all, for the function's
    // whole timeout was most of LocalAws's growth under load).
    private ITimer? _queueExpiry;
    private ITimer? _timeout;

    public string RequestId { get; } = Guid.NewGuid().ToString();

    public LambdaFunction Function => function;

    public InvocationRequest Request => request;

    /// <summary>The X-Ray trace header handed to the environment (<c>Lambda-Runtime-Trace-Id</c>).</summary>
    public string TraceHeader => traceHeader;

    /// <summary>The span of the call that invoked it (current when it was created), whose trace its platform lines join.</summary>
    public Activity? InvokeActivity { get; } = Activity.Current;

    /// <summary>The environment running it, once handed out.</summary>
    public ExecutionEnvironment? Environment { get; private set; }

    public DateTimeOffset Deadline { get; private set; }

    public long StartTimestamp { get; private set; }

    public Task<InvocationResult> Result => _result.Task;

    /// <summary>Whether it has ended, or is ending.</summary>
    public bool IsClaimed => Volatile.Read(ref _claimed) != 0;

    /// <summary>Marks it handed to <paramref name="environment"/>: its deadline starts now.</summary>
    public void Start(ExecutionEnvironment environment, DateTimeOffset now)
    {
        Interlocked.Exchange(ref _queueExpiry, null)?.Dispose();
        Environment = environment;
        Deadline = now + function.Timeout;
        StartTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>Arms its expiry in the queue (until an environment takes it).</summary>
    public void ExpireInQueueAfter(ITimer timer) => Arm(ref _queueExpiry, timer);

    /// <summary>Arms its run's timeout (once an environment has it).</summary>
    public void TimeOutAfter(ITimer timer) => Arm(ref _timeout, timer);

    /// <summary>Adds a line to the invocation's log (what <c>X-Amz-Log-Type: Tail</c> returns).</summary>
    public void AppendLog(string line)
    {
        lock (_log)
        {
            _log.Append(line).Append('\n');
        }
    }

    /// <summary>
    /// Claims the right to end it: <see langword="true"/> for the first caller only, who then writes its last log
    /// lines and calls <see cref="Complete"/>.
    /// </summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    /// <summary>Fails it as the Invoke API refuses a call (after <see cref="TryClaim"/>): it never ran.</summary>
    public void Reject(Exception error)
    {
        _result.TrySetException(error);
        DisarmAll();
    }

    /// <summary>Ends it (after <see cref="TryClaim"/>), with its log as written so far.</summary>
    public void Complete(byte[] payload, string? functionError)
    {
        string tail;
        lock (_log)
        {
            tail = _log.ToString();
        }

        _result.TrySetResult(new InvocationResult(payload, functionError, tail));
        DisarmAll();
    }

    private void Arm(ref ITimer? slot, ITimer timer)
    {
        Interlocked.Exchange(ref slot, timer)?.Dispose();
        if (_result.Task.IsCompleted)
        {
            DisarmAll(); // it ended while the timer was being made
        }
    }

    private void DisarmAll()
    {
        Interlocked.Exchange(ref _queueExpiry, null)?.Dispose();
        Interlocked.Exchange(ref _timeout, null)?.Dispose();
    }
}
