using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudWatch;

/// <summary>
/// A metric alarm: its configuration as PutMetricAlarm last set it, its state, and its tags. The configuration is
/// kept as the request's members (PutMetricAlarm replaces all of it), so DescribeAlarms answers with what was set.
/// </summary>
/// <param name="Configuration">PutMetricAlarm's members, checked, without <c>Tags</c>.</param>
internal sealed record MetricAlarm(
    string Name,
    string Arn,
    JsonObject Configuration,
    string StateValue,
    string StateReason,
    string? StateReasonData,
    DateTimeOffset StateUpdatedTimestamp,
    DateTimeOffset StateTransitionedTimestamp,
    DateTimeOffset ConfigurationUpdatedTimestamp,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>The alarm as DescribeAlarms gives it: its state beside its configuration (which always holds <c>ActionsEnabled</c> and the three action lists).</summary>
    public JsonObject ToDocument()
    {
        var document = new JsonObject
        {
            ["AlarmName"] = Name,
            ["AlarmArn"] = Arn,
            ["AlarmConfigurationUpdatedTimestamp"] = ConfigurationUpdatedTimestamp,
            [nameof(StateValue)] = StateValue,
            [nameof(StateReason)] = StateReason,
            [nameof(StateUpdatedTimestamp)] = StateUpdatedTimestamp,
            // A metric math alarm has no dimensions of its own; CloudWatch lists an empty set.
            ["Dimensions"] = new JsonArray(),
            [nameof(StateTransitionedTimestamp)] = StateTransitionedTimestamp,
        };
        foreach (var (member, value) in Configuration)
        {
            document[member] = value?.DeepClone();
        }

        // A whole threshold read back from the store is still a double, as the model types it.
        if (Configuration["Threshold"] is JsonValue threshold)
        {
            document["Threshold"] = threshold.GetValue<double>();
        }

        if (StateReasonData is not null)
        {
            document[nameof(StateReasonData)] = StateReasonData;
        }

        return document;
    }
}
