using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.CloudWatch;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::CloudWatch::Alarm</c>: a real metric alarm, made through CloudWatch's <c>PutMetricAlarm</c> as the stack's
/// principal; the template's properties are PutMetricAlarm's members. <c>Ref</c> is its name, <c>Fn::GetAtt</c>
/// gives <c>Arn</c>. A new <c>AlarmName</c> replaces it; everything else, tags included, updates in place.
/// </summary>
internal sealed class AlarmProvider(CloudWatchService cloudWatch, LocalAwsSettings settings) : IResourceProvider
{
    private static readonly PropertySchema Dimensions = PropertySchema.ListOf(PropertySchema.MapOf(new Dictionary<string, PropertySchema>
    {
        ["Name"] = PropertySchema.Text() with { Required = true },
        ["Value"] = PropertySchema.Text() with { Required = true },
    }));

    public string ResourceType => "AWS::CloudWatch::Alarm";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["AlarmName"] = PropertySchema.Text() with { CreateOnly = true },
        ["AlarmDescription"] = PropertySchema.Text(),
        ["ActionsEnabled"] = PropertySchema.Boolean(),
        ["AlarmActions"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["OKActions"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["InsufficientDataActions"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["ComparisonOperator"] = PropertySchema.Text() with { Required = true },
        ["EvaluationPeriods"] = PropertySchema.WholeNumber() with { Required = true },
        ["DatapointsToAlarm"] = PropertySchema.WholeNumber(),
        ["Threshold"] = PropertySchema.Json(),
        ["ThresholdMetricId"] = PropertySchema.Text(),
        ["MetricName"] = PropertySchema.Text(),
        ["Namespace"] = PropertySchema.Text(),
        ["Dimensions"] = Dimensions,
        ["Statistic"] = PropertySchema.Text(),
        ["ExtendedStatistic"] = PropertySchema.Text(),
        ["Period"] = PropertySchema.WholeNumber(),
        ["Unit"] = PropertySchema.Text(),
        ["Metrics"] = PropertySchema.Json(),
        ["TreatMissingData"] = PropertySchema.Text(),
        ["EvaluateLowSampleCountPercentile"] = PropertySchema.Text(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = Intrinsics.Text(request.Properties["AlarmName"]) ?? request.GeneratedName(maxLength: 255);
        Run("PutMetricAlarm", request, Input(request.Properties, name, withTags: true));
        return Task.FromResult(Made(name));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Run("PutMetricAlarm", request, Input(request.Properties, current.PhysicalId, withTags: false));

        // PutMetricAlarm leaves an existing alarm's tags alone: change them through the tagging operations.
        var arn = cloudWatch.AlarmArn(current.PhysicalId);
        var (wanted, had) = (TagsOf(request.Properties), TagsOf(current.Properties));
        var dropped = had.Keys.Except(wanted.Keys, StringComparer.Ordinal).ToList();
        if (dropped.Count > 0)
        {
            Run("UntagResource", request, new JsonObject { ["ResourceARN"] = arn, ["TagKeys"] = new JsonArray([.. dropped.Select(k => (JsonNode)k)]) });
        }

        if (wanted.Count > 0 && !wanted.OrderBy(t => t.Key, StringComparer.Ordinal).SequenceEqual(had.OrderBy(t => t.Key, StringComparer.Ordinal)))
        {
            Run("TagResource", request, new JsonObject { ["ResourceARN"] = arn, ["Tags"] = request.Properties["Tags"]?.DeepClone() });
        }

        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        Run("DeleteAlarms", request, new JsonObject { ["AlarmNames"] = new JsonArray(current.PhysicalId) });
        return Task.CompletedTask;
    }

    private static JsonObject Input(JsonObject properties, string name, bool withTags)
    {
        var input = (JsonObject)properties.DeepClone();
        input["AlarmName"] = name;
        if (!withTags)
        {
            input.Remove("Tags");
        }

        return input;
    }

    private static Dictionary<string, string> TagsOf(JsonObject properties) =>
        (properties["Tags"] as JsonArray ?? []).OfType<JsonObject>()
            .ToDictionary(t => Intrinsics.Text(t["Key"]) ?? string.Empty, t => Intrinsics.Text(t["Value"]) ?? string.Empty, StringComparer.Ordinal);

    private void Run(string operation, ResourceRequest request, JsonObject input) =>
        CloudWatchApi.Invoke(cloudWatch, operation, request.Principal, settings.Region, input);

    private ProvisionedResource Made(string name) =>
        new(name, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create(cloudWatch.AlarmArn(name)) });
}
