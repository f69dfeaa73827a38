using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Logs;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::Logs::MetricFilter</c>: a real metric filter on a log group, made through CloudWatch Logs'
/// <c>PutMetricFilter</c> as the stack's principal. <c>Ref</c> is its name. A new <c>FilterName</c> or
/// <c>LogGroupName</c> replaces it; its pattern and metric update in place.
/// </summary>
internal sealed class MetricFilterProvider(LogsService logs, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::Logs::MetricFilter";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["FilterName"] = PropertySchema.Text() with { CreateOnly = true },
        ["LogGroupName"] = PropertySchema.Text() with { Required = true, CreateOnly = true },
        ["FilterPattern"] = PropertySchema.Text() with { Required = true },
        ["ApplyOnTransformedLogs"] = PropertySchema.Boolean(),
        ["MetricTransformations"] = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["MetricName"] = PropertySchema.Text() with { Required = true },
            ["MetricNamespace"] = PropertySchema.Text() with { Required = true },
            ["MetricValue"] = PropertySchema.Text() with { Required = true },
            ["DefaultValue"] = PropertySchema.Json(),
            ["Unit"] = PropertySchema.Text(),
            ["Dimensions"] = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
            {
                ["Key"] = PropertySchema.Text() with { Required = true },
                ["Value"] = PropertySchema.Text() with { Required = true },
            })),
        })) with
        { Required = true },
    });

    public IReadOnlyCollection<string> Attributes { get; } = [];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Intrinsics.Text(request.Properties["FilterName"]) ?? request.GeneratedName(maxLength: 512);
        Put(request, name);
        return Task.FromResult(new ProvisionedResource(name, new Dictionary<string, JsonNode?>()));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Put(request, current.PhysicalId);
        return Task.FromResult(current);
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            Run("DeleteMetricFilter", request, new JsonObject { ["logGroupName"] = Intrinsics.Text(request.Properties["LogGroupName"]), ["filterName"] = current.PhysicalId });
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFoundException")
        {
            // Gone already (its log group deleted with it): deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private void Put(ResourceRequest request, string name)
    {
        var properties = request.Properties;
        var transformations = new JsonArray();
        foreach (var transformation in (properties["MetricTransformations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var item = new JsonObject
            {
                ["metricName"] = Intrinsics.Text(transformation["MetricName"]),
                ["metricNamespace"] = Intrinsics.Text(transformation["MetricNamespace"]),
                ["metricValue"] = Intrinsics.Text(transformation["MetricValue"]),
            };
            if (transformation["DefaultValue"] is { } defaultValue)
            {
                item["defaultValue"] = defaultValue is JsonValue value && (value.TryGetValue<double>(out var number)
                    || double.TryParse(Intrinsics.Text(value), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out number))
                    ? number
                    : throw TemplateException.Error($"MetricTransformations: DefaultValue must be a number, not {defaultValue.ToJsonString()}.");
            }

            if (Intrinsics.Text(transformation["Unit"]) is { } unit)
            {
                item["unit"] = unit;
            }

            if (transformation["Dimensions"] is JsonArray { Count: > 0 } dimensions)
            {
                item["dimensions"] = new JsonObject(dimensions.OfType<JsonObject>().Select(d => KeyValuePair.Create(Intrinsics.Text(d["Key"]) ?? string.Empty, (JsonNode?)Intrinsics.Text(d["Value"]))));
            }

            transformations.Add(item);
        }

        Run("PutMetricFilter", request, new JsonObject
        {
            ["logGroupName"] = Intrinsics.Text(properties["LogGroupName"]),
            ["filterName"] = name,
            ["filterPattern"] = Intrinsics.Text(properties["FilterPattern"]),
            ["metricTransformations"] = transformations,
            ["applyOnTransformedLogs"] = properties["ApplyOnTransformedLogs"]?.GetValue<bool>() ?? false,
        });
    }

    private void Run(string operation, ResourceRequest request, JsonObject input)
    {
        using var _ = LogsApi.Invoke(logs, operation, request.Principal, settings.Region, input);
    }
}
