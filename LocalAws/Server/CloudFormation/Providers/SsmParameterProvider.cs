using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Ssm;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::SSM::Parameter</c>: a real Parameter Store parameter, made through SSM's own PutParameter and
/// DeleteParameter as the stack's principal. <c>Ref</c> is its name; <c>Fn::GetAtt</c> gives <c>Type</c> and
/// <c>Value</c>. A new <c>Name</c> replaces it; the other properties update it in place.
/// </summary>
internal sealed class SsmParameterProvider(ParameterStoreService ssm, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::SSM::Parameter";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Name"] = PropertySchema.Text() with { CreateOnly = true },
        ["Type"] = PropertySchema.Text() with { Required = true },
        ["Value"] = PropertySchema.Text() with { Required = true },
        ["Description"] = PropertySchema.Text(),
        ["AllowedPattern"] = PropertySchema.Text(),
        ["Tier"] = PropertySchema.Text(),
        ["DataType"] = PropertySchema.Text(),
        ["Policies"] = PropertySchema.Text(),
        ["Tags"] = PropertySchema.Json(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Type", "Value"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Intrinsics.Text(request.Properties["Name"]) ?? $"CFN-{request.GeneratedName(maxLength: 60)}";
        var input = Input(request, name, overwrite: false);
        if (request.Properties["Tags"] is JsonObject tags)
        {
            input["Tags"] = new JsonArray([.. tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = Intrinsics.Text(t.Value) })]);
        }

        Run("PutParameter", request, input);
        return Task.FromResult(Made(request, name));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Run("PutParameter", request, Input(request, current.PhysicalId, overwrite: true));
        return Task.FromResult(Made(request, current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            Run("DeleteParameter", request, new JsonObject { ["Name"] = current.PhysicalId });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ParameterNotFound")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private static JsonObject Input(ResourceRequest request, string name, bool overwrite)
    {
        var type = Intrinsics.Text(request.Properties["Type"]);
        if (type is not ("String" or "StringList"))
        {
            throw TemplateException.Error($"AWS::SSM::Parameter Type {type} is not supported: CloudFormation creates String and StringList parameters only.");
        }

        var input = new JsonObject { ["Name"] = name, ["Value"] = request.Properties["Value"]?.DeepClone(), ["Type"] = type, ["Overwrite"] = overwrite };
        foreach (var optional in (string[])["Description", "AllowedPattern", "Tier", "DataType", "Policies"])
        {
            if (request.Properties[optional] is { } value)
            {
                input[optional] = value.DeepClone();
            }
        }

        return input;
    }

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using var _ = SsmApi.Invoke(ssm, operation, request.Principal, settings.Region, input);
    }

    private static ProvisionedResource Made(ResourceRequest request, string name) => new(name, new Dictionary<string, JsonNode?>
    {
        ["Type"] = request.Properties["Type"]?.DeepClone(),
        ["Value"] = request.Properties["Value"]?.DeepClone(),
    });
}
