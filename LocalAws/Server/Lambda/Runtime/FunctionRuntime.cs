using System.Globalization;
using System.Text;
using System.Text.Json;
using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// One function's invocations and execution environments. Invocations wait in a queue (at most
/// <c>queueTimeout</c>) until an environment polls <c>/next</c>; each environment runs one at a time. An invocation
/// ends once: with the function's response or error, at its deadline (<c>Sandbox.Timedout</c>), or when its
/// environment goes away (<c>Runtime.ExitError</c>). A function deployed from a zip has a
/// <see cref="EnvironmentLauncher"/>: an invocation no environment is free for starts one, up to its limit.
/// </summary>
internal sealed partial class FunctionRuntime
{
    /// <summary>How many ended request ids are remembered, so a late answer is told apart from a made-up id.</summary>
    private const int EndedMemory = 1024;

    /// <summary>
    /// LocalAws's bound on the invocations waiting for an environment (Lambda documents none for its Event queue):
    /// beyond this many, or this many payload bytes, an invocation is refused with <c>TooManyRequestsException</c>.
    /// </summary>
    public const int MaxQueuedInvocations = 1000;

    /// <inheritdoc cref="MaxQueuedInvocations"/>
    public const long MaxQueuedBytes = 64L * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<Invocation> _queue = new();
    private readonly LinkedList<(ExecutionEnvironment Environment, TaskCompletionSource<Invocation> Handoff)> _pollers = new();
    private readonly Dictionary<string, ExecutionEnvironment> _environments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Invocation> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedOrder = new();
    private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider _clock;
    private readonly TimeSpan _queueTimeout;
    private readonly PlatformLog _platformLog;
    private readonly FunctionTelemetry _telemetry;
    private (string Type, byte[] Payload)? _initError;
    private long _queuedBytes;
    private LambdaFunction _function;
    private EnvironmentLauncher? _launcher;

    /// <summary>Environments the launcher is starting that have not polled yet; guarded by the lock.</summary>
    private int _starting;

    public FunctionRuntime(LambdaFunction function, TimeProvider clock, TimeSpan queueTimeout, FunctionTelemetry telemetry, EnvironmentLauncher? launcher = null)
    {
        _function = function;
        _clock = clock;
        _queueTimeout = queueTimeout;
        _telemetry = telemetry;
        _platformLog = new PlatformLog(telemetry.Logger, clock);
        Attach(launcher);
    }

    public LambdaFunction Function
    {
        get
        {
            lock (_gate)
            {
                return _function;
            }
        }
    }

    /// <summary>Completes when the first execution environment has started: its first <c>/next</c>.</summary>
    public Task Initialized => _initialized.Task;

    /// <summary>Queues an invocation; the task ends with its result, or faults with the Invoke API's error.</summary>
    public Task<InvocationResult> InvokeAsync(InvocationRequest request, string traceHeader)
    {
        Invocation invocation;
        var launch = false;
        lock (_gate)
        {
            invocation = new Invocation(_function, request, traceHeader);
            if (_launcher is { } launcher)
            {
                if (launcher.CannotRun is { } cannotRun)
                {
                    return Task.FromException<InvocationResult>(new AwsServiceException(cannotRun));
                }

                if (launcher.Limit == 0)
                {
                    _telemetry.Throttled(_function);
                    return Task.FromException<InvocationResult>(new AwsServiceException(new AwsError(429, "TooManyRequestsException",
                        $"Rate Exceeded. The reserved concurrency of {_function.Name} is 0 (ReservedFunctionConcurrentInvocationLimitExceeded).")));
                }
            }

            // While the latest start failed and nothing polls, each invocation fails as that start did.
            if (_initError is { } initError && _environments.Count == 0)
            {
                invocation.TryClaim();
                _telemetry.FailedToInitialize(_function);
                invocation.AppendLog(Encoding.UTF8.GetString(initError.Payload));
                invocation.Complete(initError.Payload, InvocationResult.Unhandled);
                return invocation.Result;
            }

            if (_pollers.First is { } poller)
            {
                _pollers.RemoveFirst();
                HandOut(invocation, poller.Value.Environment);
                poller.Value.Handoff.TrySetResult(invocation);
                return invocation.Result;
            }

            if (_queue.Count >= MaxQueuedInvocations || _queuedBytes + request.Payload.Length > MaxQueuedBytes)
            {
                _telemetry.Throttled(_function);
                return Task.FromException<InvocationResult>(new AwsServiceException(new AwsError(429, "TooManyRequestsException",
                    $"Rate Exceeded. {_queue.Count} invocations of {_function.Name} ({_queuedBytes} bytes) already wait for an execution environment: LocalAws queues at most {MaxQueuedInvocations} or {MaxQueuedBytes} bytes.")));
            }

            _queue.AddLast(invocation);
            _queuedBytes += request.Payload.Length;

            // One more environment for each invocation no starting one will take, as far as the limit allows.
            if (_launcher is { } starter && _queue.Count > _starting && _environments.Count + _starting < starter.Limit)
            {
                _starting++;
                launch = true;
            }
        }

        if (launch)
        {
            _launcher?.Launch();
        }

        invocation.ExpireInQueueAfter(_clock.CreateTimer(
            static state =>
            {
                var (runtime, queued) = ((FunctionRuntime, Invocation))state!;
                runtime.ExpireInQueue(queued);
            },
            (this, invocation), _queueTimeout, Timeout.InfiniteTimeSpan));
        return invocation.Result;
    }

    /// <summary>
    /// <c>/next</c> from <paramref name="environment"/>: the next invocation, waiting for one as long as the
    /// environment keeps polling.
    /// </summary>
    public async Task<Invocation> NextAsync(ExecutionEnvironment environment, CancellationToken cancellationToken)
    {
        TaskCompletionSource<Invocation> handoff;
        LinkedListNode<(ExecutionEnvironment, TaskCompletionSource<Invocation>)> node;
        lock (_gate)
        {
            if (environment.Current is { IsClaimed: false } unanswered)
            {
                throw new RuntimeApiException(403, "InvalidStateTransition",
                    $"State transition from Invoke to Ready failed for runtime: invocation {unanswered.RequestId} has no response or error yet.");
            }

            environment.Current = null;
            environment.Polling = true;
            environment.IdleSince = TimeProvider.System.GetTimestamp();
            if (_environments.TryAdd(environment.Id, environment))
            {
                _platformLog.InitStart(Function, environment);
                if (_launcher?.ClaimStarted(environment) == true && _starting > 0)
                {
                    _starting--;
                }
            }

            _initError = null;
            _initialized.TrySetResult();
            while (_queue.First is { } queued)
            {
                _queue.RemoveFirst();
                _queuedBytes -= queued.Value.Request.Payload.Length;
                if (!queued.Value.IsClaimed)
                {
                    HandOut(queued.Value, environment);
                    return queued.Value;
                }
            }

            handoff = new TaskCompletionSource<Invocation>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _pollers.AddLast((environment, handoff));
        }

        await using (cancellationToken.Register(() => Abandon(node)))
        {
            return await handoff.Task.ConfigureAwait(false);
        }
    }

    /// <summary><c>/response</c> from <paramref name="answerer"/>: the function's answer (at most Lambda's 6 MB, checked by the caller).</summary>
    public void Respond(string requestId, ExecutionEnvironment answerer, byte[] payload) => End(Take(requestId, answerer), payload, null, "success");

    /// <summary><c>/error</c> from <paramref name="answerer"/>: the function's error, in Lambda's shape when the runtime sent one.</summary>
    public void ReportError(string requestId, ExecutionEnvironment answerer, string? errorType, byte[] body) =>
        End(Take(requestId, answerer), ErrorPayload(errorType, body).Payload, InvocationResult.Unhandled, "error");

    /// <summary>Fails the invocation whose response (from <paramref name="answerer"/>) broke Lambda's limit, as Lambda does.</summary>
    public void ReportResponseTooLarge(string requestId, ExecutionEnvironment answerer, int limit) =>
        End(Take(requestId, answerer), Error("Function.ResponseSizeTooLarge", $"Response payload size exceeded maximum allowed payload size ({limit} bytes)."), InvocationResult.Unhandled, "error");

    /// <summary>The event could not be handed to the runtime that took it: the invocation fails at once, and the environment is free.</summary>
    public void FailDelivery(string requestId, string reason) =>
        End(Take(requestId, answerer: null), Error("Runtime.DeliveryFailed", $"LocalAws could not deliver the event to the runtime: {reason}"), InvocationResult.Unhandled, "error");

    /// <summary>
    /// <c>/init/error</c>: the environment could not start. Queued invocations fail with its error, and so does each
    /// new one until an environment polls again.
    /// </summary>
    public void ReportInitError(ExecutionEnvironment environment, string? errorType, byte[] body)
    {
        var initError = ErrorPayload(errorType, body);
        var payload = initError.Payload;
        List<Invocation> failed;
        lock (_gate)
        {
            _initError = initError;
            environment.Exited = true;
            if (!_environments.Remove(environment.Id))
            {
                // Failed before it ever polled: its init began all the same.
                _platformLog.InitStart(Function, environment);
            }

            _platformLog.InitReport(Function, environment, initError.Type);
            failed = _environments.Values.Any(e => e.Polling) ? [] : [.. _queue];
            if (failed.Count > 0)
            {
                _queue.Clear();
                _queuedBytes = 0;
            }
        }

        foreach (var invocation in failed.Where(i => i.TryClaim()))
        {
            _telemetry.FailedToInitialize(invocation.Function);
            invocation.AppendLog(Encoding.UTF8.GetString(payload));
            invocation.Complete(payload, InvocationResult.Unhandled);
        }
    }

    /// <summary>The environment went away: what it was running fails at once with <c>Runtime.ExitError</c>.</summary>
    public void EnvironmentExited(ExecutionEnvironment environment)
    {
        Invocation? running;
        lock (_gate)
        {
            environment.Exited = true;
            _environments.Remove(environment.Id);
            for (var node = _pollers.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Environment == environment)
                {
                    _pollers.Remove(node);
                    node.Value.Handoff.TrySetCanceled();
                }

                node = next;
            }

            running = environment.Current;
            if (running is not null)
            {
                _running.Remove(running.RequestId);
                Remember(running.RequestId);
            }
        }

        if (running is not null)
        {
            End(running, Error("Runtime.ExitError", $"RequestId: {running.RequestId} Error: Runtime exited without providing a reason"), InvocationResult.Unhandled, "error");
        }
    }

    public FunctionStatus Status()
    {
        lock (_gate)
        {
            var environments = _environments.Values
                .Select(e => new EnvironmentStatus(e.Id, e.ProcessId, !e.Polling, e.InvocationCount))
                .ToList();
            var state = environments.Count == 0
                ? _initError is null ? FunctionState.NoEnvironment : FunctionState.InitError
                : environments.All(e => e.Busy) ? FunctionState.Busy : FunctionState.Idle;
            return new FunctionStatus(_function.Name, state, environments, _queue.Count, _initError?.Type);
        }
    }

    /// <summary>
    /// The running invocation <paramref name="requestId"/> if <paramref name="answerer"/> took it (any answerer when
    /// <see langword="null"/>: LocalAws's own call), or the Runtime API's error for any other id. Environments known
    /// by connection alone (LocalAws's own process) cannot be told apart, so any of them answers for the others.
    /// </summary>
    private Invocation Take(string requestId, ExecutionEnvironment? answerer)
    {
        lock (_gate)
        {
            if (_running.TryGetValue(requestId, out var running) && answerer is not null && running.Environment != answerer
                && (running.Environment!.ProcessId is not null || answerer.ProcessId is not null))
            {
                // In AWS an environment sees no other's invocations: to it, this id does not exist.
                throw new RuntimeApiException(400, "InvalidRequestID", $"Invalid request ID: invocation {requestId} was not handed to this execution environment.");
            }

            if (_running.Remove(requestId, out var invocation))
            {
                Remember(requestId);
                return invocation;
            }

            throw _ended.Contains(requestId)
                ? new RuntimeApiException(403, "InvalidStateTransition", $"Invocation {requestId} has already ended: it was answered, timed out, or its environment exited.")
                : new RuntimeApiException(400, "InvalidRequestID", "Invalid request ID");
        }
    }

    private void HandOut(Invocation invocation, ExecutionEnvironment environment)
    {
        var now = _clock.GetUtcNow();
        environment.Polling = false;
        environment.Current = invocation;
        environment.InvocationCount++;
        invocation.Start(environment, now);
        _running[invocation.RequestId] = invocation;
        _telemetry.Started(invocation.Function);
        _platformLog.Start(invocation);
        invocation.TimeOutAfter(_clock.CreateTimer(
            static state =>
            {
                var (runtime, running) = ((FunctionRuntime, Invocation))state!;
                runtime.TimeOut(running);
            },
            (this, invocation), invocation.Function.Timeout, Timeout.InfiniteTimeSpan));
    }

    private void Abandon(LinkedListNode<(ExecutionEnvironment Environment, TaskCompletionSource<Invocation> Handoff)> node)
    {
        lock (_gate)
        {
            if (node.List is not null)
            {
                _pollers.Remove(node);
                node.Value.Environment.Polling = false;
            }
        }

        node.Value.Handoff.TrySetCanceled();
    }

    private void TimeOut(Invocation invocation)
    {
        lock (_gate)
        {
            if (!_running.Remove(invocation.RequestId))
            {
                return;
            }

            Remember(invocation.RequestId);
        }

        var seconds = invocation.Function.Timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        End(invocation, Error("Sandbox.Timedout", $"RequestId: {invocation.RequestId} Error: Task timed out after {seconds} seconds"), InvocationResult.Unhandled, "timeout");
    }

    private void ExpireInQueue(Invocation invocation)
    {
        int environments;
        bool launched;
        lock (_gate)
        {
            if (!_queue.Remove(invocation))
            {
                return;
            }

            _queuedBytes -= invocation.Request.Payload.Length;

            environments = _environments.Count;
            launched = _launcher is not null;
        }

        if (invocation.TryClaim())
        {
            if (environments > 0)
            {
                _telemetry.Throttled(invocation.Function);
            }

            invocation.Reject(new AwsServiceException(environments == 0
                ? launched
                    ? new AwsError(502, "ResourceNotReadyException", $"No execution environment of {_function.Name} was ready within {_queueTimeout.TotalSeconds:0} s.")
                    : new AwsError(502, "ResourceNotReadyException",
                    $"No execution environment of {_function.Name} polled its Runtime API within {_queueTimeout.TotalSeconds:0} s: start the function with AWS_LAMBDA_RUNTIME_API=<LocalAws host:port>/{_function.Name}.")
                : new AwsError(429, "TooManyRequestsException", $"Rate Exceeded. All {environments} execution environments of {_function.Name} stayed busy for {_queueTimeout.TotalSeconds:0} s.")));
        }
    }

    private void End(Invocation invocation, byte[] payload, string? functionError, string status)
    {
        if (!invocation.TryClaim())
        {
            return;
        }

        if (functionError is not null)
        {
            invocation.AppendLog(Encoding.UTF8.GetString(payload));
        }

        var measured = InvocationMeasurements.Of(invocation, invocation.Environment!);
        _platformLog.Report(invocation, measured, status);
        _telemetry.Ended(invocation.Function, measured, failed: functionError is not null);
        invocation.Complete(payload, functionError);
    }

    private void Remember(string requestId)
    {
        _ended.Add(requestId);
        _endedOrder.Enqueue(requestId);
        if (_endedOrder.Count > EndedMemory)
        {
            _ended.Remove(_endedOrder.Dequeue());
        }
    }

    /// <summary>
    /// The runtime's error body and its type when it is Lambda's JSON shape; otherwise one built from the error type
    /// header, as Lambda does.
    /// </summary>
    private static (string Type, byte[] Payload) ErrorPayload(string? errorType, byte[] body)
    {
        if (JsonErrorType(body) is { } type)
        {
            return (type, body);
        }

        type = errorType ?? "Runtime.Unknown";
        return (type, Error(type, string.Empty));
    }

    private static string? JsonErrorType(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorType", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] Error(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType", errorType);
            writer.WriteString("errorMessage", message);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
