namespace Tap.Function;

/// <summary>The body of every successful API response. Never carries a secret value, only key names.</summary>
/// <param name="Message">A fixed success message.</param>
/// <param name="Method">The HTTP method received.</param>
/// <param name="Path">The routed path, without the API stage.</param>
/// <param name="RequestId">The Lambda request id (the connection's trace identifier under Kestrel).</param>
/// <param name="Timestamp">UTC ISO-8601 with milliseconds.</param>
/// <param name="ConfigLoaded">Whether the configuration secret was read.</param>
/// <param name="AvailableConfigKeys">The configuration secret's key names.</param>
/// <param name="Caller">The IAM caller's ARN, or <see langword="null"/> when there is none.</param>
internal sealed record ApiResponse(
    string Message,
    string Method,
    string Path,
    string RequestId,
    string Timestamp,
    bool ConfigLoaded,
    IReadOnlyList<string> AvailableConfigKeys,
    string? Caller);
