using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.CloudFormation;

/// <summary>On a stack: a resource that takes its outputs (the manifest's <c>references</c>).</summary>
internal sealed class CloudFormationReferenceAnnotation(string targetResource) : IResourceAnnotation
{
    public string TargetResource { get; } = targetResource;
}
