using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Lambda.Runtime;

/// <summary>
/// Lambda's platform lines for each execution environment's start (<c>INIT_START</c>, and <c>INIT_REPORT</c> when
/// it fails) and each invocation (<c>START</c>, <c>END</c>, <c>REPORT</c>), or its <c>platform.initStart</c>,
/// <c>platform.initReport</c>, <c>platform.start</c> and <c>platform.report</c> JSON records when the function logs
/// JSON: written as structured
/// logs (category <c>Tap.LocalAws.Lambda.{function}</c>, under the function's resource, as Lambda writes them to the
/// function's log group) and kept
/// on the invocation for <c>X-Amz-Log-Type: Tail</c>.
/// </summary>
internal sealed partial class PlatformLog(ILogger logger, TimeProvider clock)
{
    /// <summary>
    /// A new execution environment began its init. It is known once it first polls (or reports an init error), so the
    /// record is dated at its process's start where that is known. No runtime version is named: LocalAws runs
    /// unversioned runtimes.
    /// </summary>
    public void InitStart(LambdaFunction function, ExecutionEnvironment environment)
    {
        var line = function.JsonLogs
            ? Record("platform.initStart", writer =>
            {
                writer.WriteString("initializationType", "on-demand");
                writer.WriteString("phase", "init");
                writer.WriteString("functionName", function.Name);
                writer.WriteString("functionVersion", LambdaFunction.LatestVersion);
            }, environment.ProcessStarted)
            : function.Runtime is { } runtime ? $"INIT_START Runtime Version: {runtime}" : "INIT_START";
        LogLine(logger, line);
    }

    /// <summary>The environment's init failed (<c>/init/error</c>): Lambda's report of the init phase, with its error type.</summary>
    public void InitReport(LambdaFunction function, ExecutionEnvironment environment, string errorType)
    {
        double? durationMs = environment.ProcessStarted is { } started ? Math.Round((clock.GetUtcNow() - started).TotalMilliseconds, 2) : null;
        var line = function.JsonLogs
            ? Record("platform.initReport", writer =>
            {
                writer.WriteString("initializationType", "on-demand");
                writer.WriteString("phase", "init");
                writer.WriteString("status", "error");
                writer.WriteString("errorType", errorType);
                if (durationMs is { } ms)
                {
                    writer.WriteStartObject("metrics");
                    writer.WriteNumber("durationMs", ms);
                    writer.WriteEndObject();
                }
            })
            : $"INIT_REPORT {(durationMs is { } initMs ? string.Create(CultureInfo.InvariantCulture, $"Init Duration: {initMs:0.00} ms\t") : string.Empty)}Phase: init\tStatus: error\tError Type: {errorType}";
        LogLine(logger, line);
    }

    public void Start(Invocation invocation)
    {
        var line = invocation.Function.JsonLogs
            ? Record("platform.start", writer =>
            {
                writer.WriteString("requestId", invocation.RequestId);
                writer.WriteString("version", LambdaFunction.LatestVersion);
            })
            : $"START RequestId: {invocation.RequestId} Version: {LambdaFunction.LatestVersion}";
        Write(invocation, line);
    }

    /// <param name="status"><c>success</c>, <c>error</c> or <c>timeout</c>, as <c>platform.report</c> says.</param>
    public void Report(Invocation invocation, InvocationMeasurements measured, string status)
    {
        var function = invocation.Function;
        var durationMs = measured.DurationMs;
        var billedMs = measured.BilledDurationMs;
        var maxMemoryMb = measured.MaxMemoryUsedMb;
        var initMs = measured.InitDurationMs;

        if (function.JsonLogs)
        {
            var record = Record("platform.report", writer =>
            {
                writer.WriteString("requestId", invocation.RequestId);
                writer.WriteStartObject("metrics");
                writer.WriteNumber("durationMs", durationMs);
                writer.WriteNumber("billedDurationMs", billedMs);
                writer.WriteNumber("memorySizeMB", function.MemorySizeMb);
                if (maxMemoryMb is { } mb)
                {
                    writer.WriteNumber("maxMemoryUsedMB", mb);
                }

                if (initMs is { } ms)
                {
                    writer.WriteNumber("initDurationMs", ms);
                }

                writer.WriteEndObject();
                writer.WriteString("status", status);
            });
            Write(invocation, record);
            return;
        }

        var end = $"END RequestId: {invocation.RequestId}";
        Write(invocation, end);

        // Lambda separates the REPORT fields with tabs; a field it cannot measure here is left out.
        var report = string.Create(CultureInfo.InvariantCulture,
            $"REPORT RequestId: {invocation.RequestId}\tDuration: {durationMs:0.00} ms\tBilled Duration: {billedMs} ms\tMemory Size: {function.MemorySizeMb} MB");
        if (maxMemoryMb is { } used)
        {
            report += string.Create(CultureInfo.InvariantCulture, $"\tMax Memory Used: {used} MB");
        }

        if (initMs is { } initDuration)
        {
            report += string.Create(CultureInfo.InvariantCulture, $"\tInit Duration: {initDuration:0.00} ms");
        }

        Write(invocation, report);
    }

    /// <summary>A line the function's own process wrote (LocalAws started it): its log, in the invocation's trace when it runs one.</summary>
    public void FunctionLine(Invocation? invocation, string line)
    {
        if (invocation is not null)
        {
            Write(invocation, line);
            return;
        }

        LogLine(logger, line);
    }

    // The lines belong to the invocation's trace whichever request ends it (the function's /response, say, which is
    // not traced), so they are logged under the span of the call that invoked it.
    private void Write(Invocation invocation, string line)
    {
        invocation.AppendLog(line);
        var current = Activity.Current;
        Activity.Current = invocation.InvokeActivity ?? current;
        try
        {
            LogLine(logger, line);
        }
        finally
        {
            Activity.Current = current;
        }
    }

    private string Record(string type, Action<Utf8JsonWriter> writeRecord, DateTimeOffset? time = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", AwsTimestamp.ToIso8601(time ?? clock.GetUtcNow()));
            writer.WriteString("type", type);
            writer.WriteStartObject("record");
            writeRecord(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{PlatformLine}")]
    private static partial void LogLine(ILogger logger, string platformLine);
}
