using System.Globalization;

namespace Tap.Aws.Protocol;

/// <summary>Timestamps as AWS writes them: ISO 8601, UTC, in whole seconds (credentials documents) or milliseconds (CloudFormation).</summary>
public static class AwsTimestamp
{
    /// <summary>The format, e.g. <c>2026-11-28T17:00:00Z</c> (STS <c>Expiration</c>, container credentials).</summary>
    public const string Iso8601Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>With milliseconds, as CloudFormation writes its stacks' and events' times: <c>2026-11-28T17:00:00.123Z</c>.</summary>
    public const string Iso8601MillisecondsFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>Formats <paramref name="instant"/> in <see cref="Iso8601Format"/>.</summary>
    public static string ToIso8601(DateTimeOffset instant) => instant.UtcDateTime.ToString(Iso8601Format, CultureInfo.InvariantCulture);

    /// <summary>Formats <paramref name="instant"/> in <see cref="Iso8601MillisecondsFormat"/>.</summary>
    public static string ToIso8601Milliseconds(DateTimeOffset instant) => instant.UtcDateTime.ToString(Iso8601MillisecondsFormat, CultureInfo.InvariantCulture);
}
