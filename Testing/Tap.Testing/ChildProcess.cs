using System.Diagnostics;

namespace Tap.Testing;

/// <summary>Processes that tests and benchmarks start: nothing inherited can sign or export for them.</summary>
public static class ChildProcess
{
    /// <summary>
    /// <paramref name="program"/> with its output redirected and without any inherited <c>AWS_*</c> variable (so
    /// nothing but what the caller passes can sign), nor <c>OTEL_*</c> ones when <paramref name="clearTelemetry"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, bool clearTelemetry = false)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)
                     || (clearTelemetry && k.StartsWith("OTEL_", StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }

        return start;
    }
}
