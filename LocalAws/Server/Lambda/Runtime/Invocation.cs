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
        Environment = environment;
        Deadline = now + function.Timeout;
        StartTimestamp = Stopwatch.GetTimestamp();
    }

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
    public void Reject(Exception error) => _result.TrySetException(error);

    /// <summary>Ends it (after <see cref="TryClaim"/>), with its log as written so far.</summary>
    public void Complete(byte[] payload, string? functionError)
    {
        string tail;
        lock (_log)
        {
            tail = _log.ToString();
        }

        _result.TrySetResult(new InvocationResult(payload, functionError, tail));
    }
}
