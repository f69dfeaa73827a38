using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Ecr;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::ECR::Repository</c>: a real ECR repository, made through ECR's own operations as the stack's principal,
/// with its tag mutability, scanning, encryption, repository policy and lifecycle policy. <c>Ref</c> is its name;
/// <c>Fn::GetAtt</c> gives <c>Arn</c> and <c>RepositoryUri</c>. A new name or encryption replaces it.
/// </summary>
internal sealed class RepositoryProvider(EcrService ecr, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::ECR::Repository";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["RepositoryName"] = PropertySchema.Text() with { CreateOnly = true },
        ["ImageTagMutability"] = PropertySchema.Text(),
        ["ImageTagMutabilityExclusionFilters"] = PropertySchema.Json(),
        ["ImageScanningConfiguration"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema> { ["ScanOnPush"] = PropertySchema.Boolean() }),
        ["EncryptionConfiguration"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["EncryptionType"] = PropertySchema.Text() with { Required = true },
            ["KmsKey"] = PropertySchema.Text(),
        }) with
        { CreateOnly = true },
        ["LifecyclePolicy"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["LifecyclePolicyText"] = PropertySchema.Text(),
            ["RegistryId"] = PropertySchema.Text(),
        }),
        ["RepositoryPolicyText"] = PropertySchema.Json(),
        ["EmptyOnDelete"] = PropertySchema.Boolean(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn", "RepositoryUri"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        var name = Intrinsics.Text(properties["RepositoryName"]) ?? request.GeneratedName(maxLength: 256, lowerCase: true);
        var input = new JsonObject
        {
            ["repositoryName"] = name,
            ["imageTagMutability"] = Intrinsics.Text(properties["ImageTagMutability"]) ?? "MUTABLE",
            ["imageScanningConfiguration"] = new JsonObject { ["scanOnPush"] = properties["ImageScanningConfiguration"]?["ScanOnPush"]?.GetValue<bool>() ?? false },
        };
        if (properties["EncryptionConfiguration"] is JsonObject encryption)
        {
            input["encryptionConfiguration"] = new JsonObject
            {
                ["encryptionType"] = Intrinsics.Text(encryption["EncryptionType"]),
                ["kmsKey"] = Intrinsics.Text(encryption["KmsKey"]),
            };
        }

        if (properties["Tags"] is JsonArray { Count: > 0 } tags)
        {
            input["tags"] = new JsonArray([.. tags.OfType<JsonObject>().Select(t => (JsonNode)new JsonObject { ["Key"] = Intrinsics.Text(t["Key"]), ["Value"] = Intrinsics.Text(t["Value"]) })]);
        }

        Run("CreateRepository", request, input);
        try
        {
            ApplyPolicies(request, name, previous: null);
        }
        catch (AwsServiceException)
        {
            // The repository was made: remove it, so the failed create leaves nothing behind.
            Run("DeleteRepository", request, new JsonObject { ["repositoryName"] = name, ["force"] = true });
            throw;
        }

        return Task.FromResult(Made(name));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Run("PutImageTagMutability", request, new JsonObject
        {
            ["repositoryName"] = current.PhysicalId,
            ["imageTagMutability"] = Intrinsics.Text(request.Properties["ImageTagMutability"]) ?? "MUTABLE",
        });
        ApplyPolicies(request, current.PhysicalId, current);
        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            Run("DeleteRepository", request, new JsonObject { ["repositoryName"] = current.PhysicalId, ["force"] = request.Properties["EmptyOnDelete"]?.GetValue<bool>() ?? false });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "RepositoryNotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    /// <summary>Sets the repository and lifecycle policies the properties declare; on an update, removes those they no longer do.</summary>
    private void ApplyPolicies(ResourceRequest request, string name, ProvisionedResource? previous)
    {
        if (request.Properties["RepositoryPolicyText"] is { } policy)
        {
            var text = policy is JsonValue value && value.TryGetValue<string>(out var s) ? s : policy.ToJsonString();
            Run("SetRepositoryPolicy", request, new JsonObject { ["repositoryName"] = name, ["policyText"] = text });
        }
        else if (previous?.Properties["RepositoryPolicyText"] is not null)
        {
            Run("DeleteRepositoryPolicy", request, new JsonObject { ["repositoryName"] = name });
        }

        if (Intrinsics.Text(request.Properties["LifecyclePolicy"]?["LifecyclePolicyText"]) is { } lifecycle)
        {
            Run("PutLifecyclePolicy", request, new JsonObject { ["repositoryName"] = name, ["lifecyclePolicyText"] = lifecycle });
        }
        else if (previous?.Properties["LifecyclePolicy"] is not null)
        {
            Run("DeleteLifecyclePolicy", request, new JsonObject { ["repositoryName"] = name });
        }
    }

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using JsonDocument _ = EcrApi.Invoke(ecr, operation, request.Principal, settings.Region, input);
    }

    private ProvisionedResource Made(string name) => new(name, new Dictionary<string, JsonNode?>
    {
        ["Arn"] = JsonValue.Create(ecr.Arn(name)),
        ["RepositoryUri"] = JsonValue.Create(ecr.Uri(name)),
    });
}
