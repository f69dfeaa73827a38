using System.Collections.Concurrent;
using System.Diagnostics;

namespace Tap.Testing;

/// <summary>
/// Samples and records every span one <see cref="ActivitySource"/> stops while it lives, for tests that assert what a
/// trace shows. It hears every test in the process, so pick spans by something the test owns (a request id).
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanRecorder(string sourceName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The spans stopped so far.</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>
    /// The spans matching <paramref name="match"/>, once there is one (waiting 10 s at most: a server's span may stop
    /// just after its client has read the answer).
    /// </summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(Func<Activity, bool> match)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !Spans.Any(match) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(20);
        }

        return [.. Spans.Where(match)];
    }

    public void Dispose() => _listener.Dispose();
}
