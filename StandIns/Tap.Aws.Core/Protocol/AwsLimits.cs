namespace Tap.Aws.Protocol;

/// <summary>Service limits that clients, the emulator and its configuration must agree on.</summary>
public static class AwsLimits
{
    /// <summary>IAM's ceiling for a role's <c>MaxSessionDuration</c> and for STS <c>DurationSeconds</c> (12 hours).</summary>
    public const int MaxRoleSessionDurationSeconds = 43200;
}
