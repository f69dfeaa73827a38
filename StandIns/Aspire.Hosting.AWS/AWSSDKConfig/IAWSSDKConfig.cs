using Amazon;

namespace Aspire.Hosting.AWS;

/// <summary>The region and credential profile resources use to reach AWS (the official interface, without SDK validation).</summary>
public interface IAWSSDKConfig
{
    /// <summary>The AWS credential profile to resolve credentials from; the SDK's default chain when unset.</summary>
    string? Profile { get; set; }

    /// <summary>The AWS region.</summary>
    RegionEndpoint? Region { get; set; }
}
