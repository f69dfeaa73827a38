using System.Text;
using Tap.Aws.Errors;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// A function deployed at run time: its new versions, its deletion, and the environments its
/// <see cref="EnvironmentLauncher"/> starts (a failed start, an idle one retired, the lines its process writes).
/// </summary>
internal sealed partial class FunctionRuntime
{
    /// <summary>
    /// The function changed (its code or configuration): its environments are stopped, as Lambda retires them, and
    /// the next invocation starts one of the new version.
    /// </summary>
    public void Redeploy(LambdaFunction next, EnvironmentLauncher? launcher)
    {
        EnvironmentLauncher? previous;
        lock (_gate)
        {
            (_function, previous) = (next, _launcher);
            _starting = 0;
        }

        Attach(launcher);
        previous?.Dispose();
    }

    /// <summary>The function's record changed in what its environments do not see (its resource-based policy).</summary>
    public void Replace(LambdaFunction next)
    {
        lock (_gate)
        {
            _function = next;
        }
    }

    /// <summary>The function was deleted: what waits fails as Lambda's Invoke would, and its environments stop.</summary>
    public void Close()
    {
        List<Invocation> queued;
        EnvironmentLauncher? launcher;
        lock (_gate)
        {
            (queued, launcher) = ([.. _queue], _launcher);
            _queue.Clear();
            _queuedBytes = 0;
            _launcher = null;
        }

        foreach (var invocation in queued.Where(i => i.TryClaim()))
        {
            invocation.Reject(new AwsServiceException(new AwsError(404, "ResourceNotFoundException", $"Function not found: {_function.Arn}")));
        }

        launcher?.Dispose();
    }

    /// <summary>
    /// An environment the launcher started could not start: one waiting invocation fails with the init error, as
    /// the invocation that caused a failed init does in Lambda; the next one tries a new environment.
    /// </summary>
    public void LaunchFailed(string errorType, string message)
    {
        Invocation? failed = null;
        lock (_gate)
        {
            if (_starting > 0)
            {
                _starting--;
            }

            while (failed is null && _queue.First is { } first && _starting < _queue.Count)
            {
                _queue.RemoveFirst();
                _queuedBytes -= first.Value.Request.Payload.Length;
                failed = first.Value.TryClaim() ? first.Value : null;
            }
        }

        if (failed is not null)
        {
            var payload = Error(errorType, $"RequestId: {failed.RequestId} Error: {message}");
            failed.AppendLog(Encoding.UTF8.GetString(payload));
            failed.Complete(payload, InvocationResult.Unhandled);
        }
    }

    /// <summary>
    /// Takes out of service the idle environments (polling, no invocation) of <paramref name="launched"/> processes
    /// idle for <paramref name="idleFor"/> or more, so none is handed an invocation while it is being stopped.
    /// </summary>
    public IReadOnlyList<int> RetireIdle(TimeSpan idleFor, Func<int, bool> launched)
    {
        ArgumentNullException.ThrowIfNull(launched);
        var retired = new List<int>();
        lock (_gate)
        {
            for (var node = _pollers.First; node is not null;)
            {
                var next = node.Next;
                var environment = node.Value.Environment;
                if (environment.ProcessId is { } pid && launched(pid) && TimeProvider.System.GetElapsedTime(environment.IdleSince) >= idleFor)
                {
                    _pollers.Remove(node);
                    _environments.Remove(environment.Id);
                    environment.Exited = true;
                    environment.Polling = false;
                    node.Value.Handoff.TrySetCanceled();
                    retired.Add(pid);
                }

                node = next;
            }
        }

        return retired;
    }

    /// <summary>A line the function's process wrote: the function's log, and the tail of the invocation it is running.</summary>
    public void FunctionOutput(int processId, string line)
    {
        Invocation? current;
        lock (_gate)
        {
            current = _environments.Values.FirstOrDefault(e => e.ProcessId == processId)?.Current;
        }

        _platformLog.FunctionLine(current, line);
    }

    private void Attach(EnvironmentLauncher? launcher)
    {
        if (launcher is not null)
        {
            launcher.Runtime = this;
        }

        lock (_gate)
        {
            _launcher = launcher;
        }
    }
}
