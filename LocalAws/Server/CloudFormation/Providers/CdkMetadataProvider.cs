using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary><c>AWS::CDK::Metadata</c>, the CDK's usage record in every stack it synthesizes: accepted and kept, creating nothing, as CloudFormation does.</summary>
internal sealed class CdkMetadataProvider : IResourceProvider
{
    public string ResourceType => "AWS::CDK::Metadata";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema> { ["Analytics"] = PropertySchema.Text() });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(new ProvisionedResource(Guid.NewGuid().ToString(), new Dictionary<string, JsonNode?>()));

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) => Task.FromResult(current);

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken) => Task.CompletedTask;
}
