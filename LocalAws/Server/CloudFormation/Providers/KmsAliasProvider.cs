using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Kms;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::KMS::Alias</c>: a KMS alias made through KMS's own CreateAlias as the stack's principal. <c>Ref</c> is its
/// name; a new name replaces it, a new target key updates it in place.
/// </summary>
internal sealed class KmsAliasProvider(KmsService kms, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::KMS::Alias";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["AliasName"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["TargetKeyId"] = PropertySchema.Text() with { Required = true },
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Intrinsics.Text(request.Properties["AliasName"])!;
        Run("CreateAlias", request, new JsonObject { ["AliasName"] = name, ["TargetKeyId"] = Intrinsics.Text(request.Properties["TargetKeyId"]) });
        return Task.FromResult(new ProvisionedResource(name, new Dictionary<string, JsonNode?>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Run("UpdateAlias", request, new JsonObject { ["AliasName"] = current.PhysicalId, ["TargetKeyId"] = Intrinsics.Text(request.Properties["TargetKeyId"]) });
        return Task.FromResult(new ProvisionedResource(current.PhysicalId, new Dictionary<string, JsonNode?>()));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            Run("DeleteAlias", request, new JsonObject { ["AliasName"] = current.PhysicalId });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "NotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using JsonDocument _ = KmsApi.Invoke(kms, operation, request.Principal, settings.Region, input);
    }
}
