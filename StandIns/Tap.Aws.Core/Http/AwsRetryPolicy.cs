namespace Tap.Aws.Http;

/// <summary>
/// The AWS SDKs' "standard" retry mode: up to 3 attempts for throttling errors, 5xx answers and transport
/// failures, with full-jitter exponential backoff (base 100 ms, capped at 20 s).
/// </summary>
public sealed record AwsRetryPolicy
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded",
        "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalServiceError", "InternalServiceErrorException",
        "InternalFailure", "ServiceUnavailable",
    };

    public static AwsRetryPolicy Standard { get; } = new();

    public int MaxAttempts { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Whether an answer with this status and error code is worth another attempt.</summary>
    public static bool IsRetryable(int statusCode, string? errorCode) =>
        statusCode is 500 or 502 or 503 or 504 or 429
        || (errorCode is not null && (ThrottlingCodes.Contains(errorCode) || TransientCodes.Contains(errorCode)));

    /// <summary>The delay before attempt <paramref name="attempt"/> + 1 (attempts count from 1).</summary>
    public TimeSpan GetDelay(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var ceiling = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // Jitter, not security.
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
#pragma warning restore CA5394
    }
}
