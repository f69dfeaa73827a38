using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Lambda;

/// <summary>
/// The trace context an invocation carries into its environment, so the function's spans join the caller's trace:
/// the X-Ray header Lambda passes as <c>Lambda-Runtime-Trace-Id</c>, and a W3C <c>traceparent</c> in an HTTP
/// event's headers (what API Gateway does, and what ASP.NET Core reads).
/// </summary>
internal static class InvocationTrace
{
    /// <summary><c>Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={0|1}</c> from the current span (or a new root).</summary>
    public static string XRayHeader(Activity? activity)
    {
        var traceId = activity?.TraceId.ToHexString() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var parentId = activity?.SpanId.ToHexString() ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var sampled = activity?.Recorded == true ? 1 : 0;
        return $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={parentId};Sampled={sampled}";
    }

    /// <summary>
    /// The event with <c>headers.traceparent</c> set to <paramref name="activity"/>, when it is an HTTP event (a JSON
    /// object with a <c>headers</c> object); any other event is returned as it is.
    /// </summary>
    public static byte[] WithTraceParent(byte[] payload, Activity? activity)
    {
        if (activity is null)
        {
            return payload;
        }

        try
        {
            if (JsonNode.Parse(payload, documentOptions: JsonProtocol.StrictJson) is JsonObject root && root["headers"] is JsonObject headers)
            {
                headers["traceparent"] = activity.Id;
                headers.Remove("tracestate");
                return Encoding.UTF8.GetBytes(root.ToJsonString());
            }
        }
        catch (JsonException)
        {
            // Not JSON: the Invoke API has already refused that, and the gateway never builds it.
        }

        return payload;
    }
}
