using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Kms;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::KMS::Key</c>: a KMS key made through KMS's own operations as the stack's principal, with its key policy,
/// description, enabled state and rotation. <c>Ref</c> is its key id; <c>Fn::GetAtt</c> gives <c>Arn</c> and
/// <c>KeyId</c>. A new usage or spec replaces it. Deleting it schedules the key's deletion after
/// <c>PendingWindowInDays</c> (default 30), as CloudFormation does.
/// </summary>
internal sealed class KmsKeyProvider(KmsService kms, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::KMS::Key";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Description"] = PropertySchema.Text(),
        ["Enabled"] = PropertySchema.Boolean(),
        ["EnableKeyRotation"] = PropertySchema.Boolean(),
        ["KeyPolicy"] = PropertySchema.Json(),
        ["KeySpec"] = PropertySchema.Text() with { CreateOnly = true },
        ["KeyUsage"] = PropertySchema.Text() with { CreateOnly = true },
        ["MultiRegion"] = PropertySchema.Boolean() with { CreateOnly = true },
        ["Origin"] = PropertySchema.Text() with { CreateOnly = true },
        ["PendingWindowInDays"] = PropertySchema.WholeNumber(),
        ["RotationPeriodInDays"] = PropertySchema.WholeNumber(),
        ["BypassPolicyLockoutSafetyCheck"] = PropertySchema.Boolean(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn", "KeyId"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        var input = new JsonObject();
        foreach (var (property, member) in (ReadOnlySpan<(string, string)>)[("Description", "Description"), ("KeySpec", "KeySpec"), ("KeyUsage", "KeyUsage"), ("Origin", "Origin")])
        {
            if (Intrinsics.Text(properties[property]) is { } value)
            {
                input[member] = value;
            }
        }

        if (properties["MultiRegion"] is { } multiRegion)
        {
            input["MultiRegion"] = multiRegion.DeepClone();
        }

        if (Policy(properties) is { } policy)
        {
            input["Policy"] = policy;
            input["BypassPolicyLockoutSafetyCheck"] = properties["BypassPolicyLockoutSafetyCheck"]?.DeepClone();
        }

        if (properties["Tags"] is JsonArray { Count: > 0 } tags)
        {
            input["Tags"] = new JsonArray([.. tags.OfType<JsonObject>().Select(t => (JsonNode)new JsonObject { ["TagKey"] = Intrinsics.Text(t["Key"]), ["TagValue"] = Intrinsics.Text(t["Value"]) })]);
        }

        using var created = KmsApi.Invoke(kms, "CreateKey", request.Principal, settings.Region, input);
        var keyId = created.RootElement.GetProperty("KeyMetadata").GetProperty("KeyId").GetString()!;
        try
        {
            Configure(request, keyId, previous: null);
        }
        catch (AwsServiceException)
        {
            // The key was made: schedule its deletion at once, so the failed create leaves nothing usable behind.
            Run("ScheduleKeyDeletion", request, new JsonObject { ["KeyId"] = keyId, ["PendingWindowInDays"] = 7 });
            throw;
        }

        return Task.FromResult(Made(keyId));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Configure(request, current.PhysicalId, current);
        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            var days = request.Properties["PendingWindowInDays"]?.GetValue<int>() ?? 30;
            Run("ScheduleKeyDeletion", request, new JsonObject { ["KeyId"] = current.PhysicalId, ["PendingWindowInDays"] = days });
        }
        catch (AwsServiceException ex) when (ex.Error.Code is "NotFoundException" or "KMSInvalidStateException")
        {
            // Gone or already pending deletion: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    /// <summary>What CreateKey does not take: the description and policy on an update, the enabled state and rotation.</summary>
    private void Configure(ResourceRequest request, string keyId, ProvisionedResource? previous)
    {
        var properties = request.Properties;
        if (previous is not null)
        {
            Run("UpdateKeyDescription", request, new JsonObject { ["KeyId"] = keyId, ["Description"] = Intrinsics.Text(properties["Description"]) ?? string.Empty });
            if (Policy(properties) is { } policy)
            {
                Run("PutKeyPolicy", request, new JsonObject
                {
                    ["KeyId"] = keyId,
                    ["PolicyName"] = "default",
                    ["Policy"] = policy,
                    ["BypassPolicyLockoutSafetyCheck"] = properties["BypassPolicyLockoutSafetyCheck"]?.DeepClone(),
                });
            }
        }

        if (properties["EnableKeyRotation"]?.GetValue<bool>() == true)
        {
            Run("EnableKeyRotation", request, new JsonObject { ["KeyId"] = keyId });
        }
        else if (previous?.Properties["EnableKeyRotation"]?.GetValue<bool>() == true)
        {
            Run("DisableKeyRotation", request, new JsonObject { ["KeyId"] = keyId });
        }

        var enabled = properties["Enabled"]?.GetValue<bool>() ?? true;
        if (!enabled || previous is not null)
        {
            Run(enabled ? "EnableKey" : "DisableKey", request, new JsonObject { ["KeyId"] = keyId });
        }
    }

    /// <summary>The key policy as KMS takes it (a string of JSON), or null to let KMS give its default.</summary>
    private static string? Policy(JsonObject properties) => properties["KeyPolicy"] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        var node => node.ToJsonString(),
    };

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using JsonDocument _ = KmsApi.Invoke(kms, operation, request.Principal, settings.Region, input);
    }

    private ProvisionedResource Made(string keyId) => new(keyId, new Dictionary<string, JsonNode?>
    {
        ["Arn"] = JsonValue.Create(kms.KeyArn(keyId)),
        ["KeyId"] = JsonValue.Create(keyId),
    });
}
