using Amazon.CDK.AWS.Logs;

namespace Tap.Infra.Constructs;

/// <summary>CloudWatch Logs offers fixed retention periods; the definition's days must be one of them.</summary>
internal static class Retention
{
    public static RetentionDays Of(int days) => days switch
    {
        1 => RetentionDays.ONE_DAY,
        3 => RetentionDays.THREE_DAYS,
        5 => RetentionDays.FIVE_DAYS,
        7 => RetentionDays.ONE_WEEK,
        14 => RetentionDays.TWO_WEEKS,
        30 => RetentionDays.ONE_MONTH,
        90 => RetentionDays.THREE_MONTHS,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "Not a CloudWatch Logs retention period this stack maps."),
    };
}
