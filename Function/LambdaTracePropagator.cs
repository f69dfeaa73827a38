using System.Diagnostics;

namespace Tap.Function;

/// <summary>
/// W3C trace context, and where a request carries none, the X-Ray trace header Lambda passes for the invocation
/// (<c>Lambda-Runtime-Trace-Id</c>, which the runtime loop sets as <c>_X_AMZN_TRACE_ID</c>): an HTTP API in AWS
/// sends no <c>traceparent</c>, so without this the request's span, and every log line in it, would start a trace
/// of its own there. Under LocalAws the gateway sends a <c>traceparent</c> with the same trace id.
/// </summary>
internal sealed class LambdaTracePropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    /// <summary>Where Lambda's runtimes put the invocation's trace header.</summary>
    public const string TraceHeaderVariable = "_X_AMZN_TRACE_ID";

    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) => inner.Inject(activity, carrier, setter);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) =>
        inner.ExtractBaggage(carrier, getter);

    public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState)
    {
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);
        traceId ??= TraceParent(Environment.GetEnvironmentVariable(TraceHeaderVariable));
    }

    /// <summary>
    /// <c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}</c> as a W3C <c>traceparent</c>; <see langword="null"/>
    /// for anything else (no parent: the request then starts its own trace, as it would without this).
    /// </summary>
    public static string? TraceParent(string? xrayHeader)
    {
        string? root = null, parent = null, sampled = null;
        foreach (var field in (xrayHeader ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = field.IndexOf('=', StringComparison.Ordinal) is var equals and > 0 ? (field[..equals], field[(equals + 1)..]) : (field, string.Empty);
            switch (key)
            {
                case "Root":
                    root = value;
                    break;
                case "Parent":
                    parent = value;
                    break;
                case "Sampled":
                    sampled = value;
                    break;
            }
        }

        if (root is not { Length: 35 } || !root.StartsWith("1-", StringComparison.Ordinal) || root[10] != '-'
            || parent is not { Length: 16 } || !IsLowerHex(parent))
        {
            return null;
        }

        var traceId = string.Concat(root.AsSpan(2, 8), root.AsSpan(11, 24));
        return IsLowerHex(traceId) && traceId.Any(c => c != '0') && parent.Any(c => c != '0')
            ? $"00-{traceId}-{parent}-{(sampled == "1" ? "01" : "00")}"
            : null;
    }

    private static bool IsLowerHex(string text) => text.All(char.IsAsciiHexDigitLower);
}
