namespace Tap.LocalAws.Logs;

/// <summary>
/// A CloudWatch Logs log group: its name, retention, key, tags and metric filters (LocalAws keeps no log events in
/// it). Groups stored before metric filters existed have none.
/// </summary>
internal sealed record LogGroup(
    string Name,
    string Arn,
    DateTimeOffset CreationTime,
    int? RetentionInDays,
    string? KmsKeyId,
    string LogGroupClass,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<MetricFilter>? MetricFilters = null)
{
    public IReadOnlyList<MetricFilter> Filters => MetricFilters ?? [];
}

/// <summary>A metric filter: the pattern it matches log events with, and the metric it turns each match into.</summary>
internal sealed record MetricFilter(string FilterName, string FilterPattern, IReadOnlyList<MetricTransformation> MetricTransformations, DateTimeOffset CreationTime, bool ApplyOnTransformedLogs);

/// <summary>The metric a match publishes: its name, namespace, value (a number or <c>$.field</c>), default, unit and dimensions.</summary>
internal sealed record MetricTransformation(string MetricName, string MetricNamespace, string MetricValue, double? DefaultValue, string? Unit, IReadOnlyDictionary<string, string>? Dimensions);
