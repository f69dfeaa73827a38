using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS;

/// <summary>An AWS resource the AppHost provisions; what depends on it waits for <see cref="ProvisioningTaskCompletionSource"/>.</summary>
public interface IAWSResource : IResource
{
    /// <summary>Completed when provisioning has finished (faulted when it failed); set as provisioning starts.</summary>
    TaskCompletionSource? ProvisioningTaskCompletionSource { get; set; }
}
