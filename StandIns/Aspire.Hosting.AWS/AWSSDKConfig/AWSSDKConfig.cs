using Amazon;

namespace Aspire.Hosting.AWS;

internal sealed class AWSSDKConfig : IAWSSDKConfig
{
    public string? Profile { get; set; }

    public RegionEndpoint? Region { get; set; }
}
