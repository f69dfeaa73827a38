using System.Globalization;

namespace Tap.LocalAws.ApiGateway;

/// <summary>What a stage's access log can say about one request: API Gateway's <c>$context</c> variables.</summary>
internal sealed record AccessLogEntry(string RequestId, DateTimeOffset RequestTime, string HttpMethod, string Protocol, string SourceIp, string UserAgent)
{
    /// <summary>The request's canonical path, once known (as sent until then).</summary>
    public required string Path { get; set; }

    /// <summary>The route that matched, once one has.</summary>
    public RouteKey? Route { get; set; }

    /// <summary>The request body's length, once read.</summary>
    public long RequestLength { get; set; }

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
        "routeKey" => Route?.Text ?? "-",
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
