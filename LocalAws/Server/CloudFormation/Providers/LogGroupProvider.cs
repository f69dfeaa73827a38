using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Logs;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::Logs::LogGroup</c>: a real CloudWatch Logs log group, made through CloudWatch Logs' own operations as the
/// stack's principal. <c>Ref</c> is its name; <c>Fn::GetAtt Arn</c> its ARN ending in <c>:*</c>, as CloudWatch Logs
/// gives it. A new <c>LogGroupName</c> or <c>LogGroupClass</c> replaces it; the retention updates in place.
/// </summary>
internal sealed class LogGroupProvider(LogsService logs, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::Logs::LogGroup";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["LogGroupName"] = PropertySchema.Text() with { CreateOnly = true },
        ["LogGroupClass"] = PropertySchema.Text() with { CreateOnly = true },
        ["RetentionInDays"] = PropertySchema.WholeNumber(),
        ["KmsKeyId"] = PropertySchema.Text(),
        ["DataProtectionPolicy"] = PropertySchema.Json(),
        ["FieldIndexPolicies"] = PropertySchema.Json(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        var name = Intrinsics.Text(properties["LogGroupName"]) ?? request.GeneratedName(maxLength: 512);
        var input = new JsonObject { ["logGroupName"] = name };
        if (Intrinsics.Text(properties["KmsKeyId"]) is { } key)
        {
            input["kmsKeyId"] = key;
        }

        if (Intrinsics.Text(properties["LogGroupClass"]) is { } logGroupClass)
        {
            input["logGroupClass"] = logGroupClass;
        }

        if (properties["Tags"] is JsonArray { Count: > 0 } tags)
        {
            input["tags"] = new JsonObject(tags.OfType<JsonObject>().Select(t => KeyValuePair.Create(Intrinsics.Text(t["Key"]) ?? string.Empty, (JsonNode?)Intrinsics.Text(t["Value"]))));
        }

        Run("CreateLogGroup", request, input);
        try
        {
            ApplyRetention(request, name);
        }
        catch (AwsServiceException)
        {
            // The group was made: undo it, so the failed create leaves nothing behind.
            Run("DeleteLogGroup", request, new JsonObject { ["logGroupName"] = name });
            throw;
        }

        return Task.FromResult(Made(name));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        ApplyRetention(request, current.PhysicalId);
        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            Run("DeleteLogGroup", request, new JsonObject { ["logGroupName"] = current.PhysicalId });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private void ApplyRetention(ResourceRequest request, string name)
    {
        if (request.Properties["RetentionInDays"] is { } days)
        {
            Run("PutRetentionPolicy", request, new JsonObject { ["logGroupName"] = name, ["retentionInDays"] = days.DeepClone() });
        }
        else
        {
            Run("DeleteRetentionPolicy", request, new JsonObject { ["logGroupName"] = name });
        }
    }

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using var _ = LogsApi.Invoke(logs, operation, request.Principal, settings.Region, input);
    }

    private ProvisionedResource Made(string name) =>
        new(name, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create(logs.Arn(name) + ":*") });
}
