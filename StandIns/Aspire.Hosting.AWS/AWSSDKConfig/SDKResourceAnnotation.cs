using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS;

/// <summary>Marks a resource as configured with an <see cref="IAWSSDKConfig"/>.</summary>
internal sealed class SDKResourceAnnotation(IAWSSDKConfig sdkConfig) : IResourceAnnotation
{
    public IAWSSDKConfig SdkConfig { get; } = sdkConfig;
}
