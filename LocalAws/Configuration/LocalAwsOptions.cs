namespace Tap.LocalAws.Configuration;

/// <summary>The <c>LocalAws</c> configuration section: the emulated account and region.</summary>
public sealed class LocalAwsOptions
{
    public const string SectionName = LocalAwsSettings.SectionName;

    public string AccountId { get; set; } = "000000000000";

    public string Region { get; set; } = "us-east-1";

    /// <summary>Where state is kept between runs; in memory only when unset.</summary>
    public string? DataDirectory { get; set; }
}
