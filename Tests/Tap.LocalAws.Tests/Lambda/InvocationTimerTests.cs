using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// An invocation's deadlines (its time in the queue, its run's timeout) are timers: one that ended must not leave
/// them pending, or each keeps the invocation, payload and all, for the function's whole timeout (up to 15 minutes).
/// </summary>
public sealed class InvocationTimerTests
{
    private const int Invocations = 20;

    [Fact]
    public async Task Invocations_that_ended_leave_no_timer_pending()
    {
        var clock = new TimerCountingClock();
        await using var host = LambdaTestHost.Start(
            new LocalAwsSettings { Functions = [LambdaTestHost.Function("long", timeout: 900)], InvocationQueueTimeoutSeconds = 60 },
            services => services.AddSingleton<TimeProvider>(clock));
        using var environment = host.Environment("long");
        var before = clock.Pending;

        for (var i = 0; i < Invocations; i++)
        {
            var next = environment.NextAsync(TestContext.Current.CancellationToken);
            var invoke = host.InvokeAsync("long", "{}");
            await environment.RespondAsync((await next).RequestId, """{"ok":true}""");
            using var response = await invoke;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // Each invocation armed its 900-s timeout (and its 60-s queue expiry had it waited in the queue); none is left.
        Assert.True(clock.Created - before >= Invocations, $"{clock.Created - before} timers made");
        Assert.InRange(clock.Pending - before, 0, 1);
    }

    /// <summary>The system clock, counting the timers made through it and those still pending (made, not disposed).</summary>
    private sealed class TimerCountingClock : TimeProvider
    {
        private int _created;
        private int _pending;

        public int Created => Volatile.Read(ref _created);

        public int Pending => Volatile.Read(ref _pending);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            Interlocked.Increment(ref _pending);
            return new CountedTimer(System.CreateTimer(callback, state, dueTime, period), this);
        }

        private sealed class CountedTimer(ITimer timer, TimerCountingClock clock) : ITimer
        {
            private int _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Decrement(ref clock._pending);
                }

                timer.Dispose();
            }

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
