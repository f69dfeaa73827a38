using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tap.LocalAws.ApiGateway;

/// <summary>What a stage's access log can say about one request: API Gateway's <c>$context</c> variables.</summary>
internal sealed record AccessLogEntry(string RequestId, DateTimeOffset RequestTime, string HttpMethod, string Path, string Protocol, string SourceIp, string UserAgent)
{
    public string RouteKey { get; set; } = "-";

    public int Status { get; set; }

    public long ResponseLength { get; set; }

    public TimeSpan ResponseLatency { get; set; }

    public TimeSpan? IntegrationLatency { get; set; }

    public int? IntegrationStatus { get; set; }

    public string? IntegrationErrorMessage { get; set; }

    public string? ErrorMessage { get; set; }

    public string? CallerArn { get; set; }

    public string? CallerId { get; set; }

    public string? CallerAccountId { get; set; }

    /// <summary>A variable's value, or <see langword="null"/> (written <c>-</c>) when it has none for this request.</summary>
    public string? Value(string variable) => variable switch
    {
        "requestId" or "extendedRequestId" => RequestId,
        "requestTime" => HttpApiEvent.RequestTime(RequestTime),
        "requestTimeEpoch" => Number(RequestTime.ToUnixTimeMilliseconds()),
        "httpMethod" => HttpMethod,
        "path" => Path,
        "protocol" => Protocol,
        "routeKey" => RouteKey,
        "status" => Number(Status),
        "responseLength" => Number(ResponseLength),
        "responseLatency" => Number((long)ResponseLatency.TotalMilliseconds),
        "integrationLatency" => IntegrationLatency is { } latency ? Number((long)latency.TotalMilliseconds) : null,
        "integrationStatus" or "integration.status" => IntegrationStatus is { } status ? Number(status) : null,
        "integrationErrorMessage" or "integration.error" => IntegrationErrorMessage,
        "error.message" => ErrorMessage,
        "identity.sourceIp" => SourceIp,
        "identity.userAgent" => UserAgent,
        "identity.userArn" => CallerArn,
        "identity.caller" or "identity.user" => CallerId,
        "identity.accountId" => CallerAccountId,
        _ => null,
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// A stage's access log format with its <c>$context</c> variables filled in, as API Gateway writes one line per
/// request. Values are JSON-escaped, so a JSON format stays JSON whatever a client sends; a variable without a value
/// is <c>-</c>. Request URLs are never a variable here, so no presigned signature or token reaches the log.
/// </summary>
internal static partial class AccessLog
{
    public static string Render(string format, AccessLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ContextVariable().Replace(format, match =>
        {
            var value = entry.Value(match.Groups["name"].Value) ?? "-";
            return JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        });
    }

    /// <summary>The line's fields, when it is a JSON object, for a structured log record.</summary>
    public static IReadOnlyList<KeyValuePair<string, object?>> Fields(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return [.. document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value.ToString()))];
            }
        }
        catch (JsonException)
        {
            // A format that is not JSON (API Gateway also takes CLF, XML, CSV) is logged as its line alone.
        }

        return [];
    }

    [GeneratedRegex(@"\$context\.(?<name>[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*)")]
    private static partial Regex ContextVariable();
}
