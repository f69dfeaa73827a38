namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// What Lambda measures of one ended invocation, for its <c>REPORT</c> line and its <c>AWS/Lambda</c> metrics alike:
/// the time from the hand-off to the environment to the end, the environment's peak memory where it can be read, and
/// the environment's Init Duration on its first invocation.
/// </summary>
internal readonly record struct InvocationMeasurements(TimeSpan Duration, long? MaxMemoryUsedMb, TimeSpan? InitDuration)
{
    public double DurationMs => Math.Round(Duration.TotalMilliseconds, 2);

    public long BilledDurationMs => (long)Math.Ceiling(Duration.TotalMilliseconds);

    public double? InitDurationMs => InitDuration is { } init ? Math.Round(init.TotalMilliseconds, 2) : null;

    public static InvocationMeasurements Of(Invocation invocation, ExecutionEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        ArgumentNullException.ThrowIfNull(environment);
        var duration = invocation.StartTimestamp == 0 ? TimeSpan.Zero : TimeProvider.System.GetElapsedTime(invocation.StartTimestamp);
        var peak = environment.ProcessId is { } pid ? LinuxProcesses.PeakResidentBytes(pid) ?? environment.PeakResidentBytes : null;
        var maxMemoryMb = peak is { } bytes ? (long?)Math.Ceiling(bytes / (1024.0 * 1024.0)) : null;
        var init = environment.InvocationCount == 1 ? environment.InitDuration : null;
        return new InvocationMeasurements(duration, maxMemoryMb, init);
    }
}
