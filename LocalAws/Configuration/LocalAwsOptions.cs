namespace Tap.LocalAws.Configuration;

/// <summary>The <c>LocalAws</c> configuration section's scalar settings (principals and functions are read on their own).</summary>
public sealed class LocalAwsOptions
{
    public const string SectionName = LocalAwsSettings.SectionName;

    public string AccountId { get; set; } = "000000000000";

    public string Region { get; set; } = "us-east-1";

    /// <summary>Where state is kept between runs; in memory only when unset.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>How long an invocation waits for a free execution environment before the Invoke API gives up.</summary>
    public int InvocationQueueTimeoutSeconds { get; set; } = 10;
}
