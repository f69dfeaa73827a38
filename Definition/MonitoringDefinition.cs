namespace Tap.Definition;

/// <summary>
/// What watches the app: the throttled-requests metric made of the access log, and the alarms, each with its
/// threshold and period. The CDK stack builds its alarms from these values; the tests read them back from what
/// was deployed.
/// </summary>
/// <param name="MetricNamespace">The namespace of the metrics the stack makes of its logs.</param>
/// <param name="ThrottledRequestsMetric">The metric counting the access log's 429s: an HTTP API has no throttle metric of its own.</param>
/// <param name="Alarms">The alarms, each notifying the alarm topic when it fires and when it recovers.</param>
public sealed record MonitoringDefinition(string MetricNamespace, string ThrottledRequestsMetric, IReadOnlyList<AlarmDefinition> Alarms);

/// <summary>One CloudWatch alarm: a statistic of one metric over a period, compared with a threshold.</summary>
/// <param name="Name">The alarm's name within the stack (the deployed alarm is <c>{stack}-{Name}</c>).</param>
/// <param name="Description">What it means when it fires.</param>
/// <param name="Source">Whose metric it watches, which sets the namespace and dimensions.</param>
/// <param name="MetricName">The metric's CloudWatch name, e.g. <c>5xx</c>.</param>
/// <param name="Statistic">The statistic over each period, as CloudWatch spells it (<c>Sum</c>).</param>
/// <param name="Threshold">The value the statistic is compared with.</param>
/// <param name="Period">Each evaluated period.</param>
/// <param name="EvaluationPeriods">How many recent periods are evaluated.</param>
/// <param name="DatapointsToAlarm">How many of them must breach for the alarm to fire.</param>
public sealed record AlarmDefinition(
    string Name,
    string Description,
    AlarmSource Source,
    string MetricName,
    string Statistic,
    double Threshold,
    TimeSpan Period,
    int EvaluationPeriods,
    int DatapointsToAlarm)
{
    /// <summary>Every alarm fires at or above its threshold.</summary>
    public const string ComparisonOperator = "GreaterThanOrEqualToThreshold";

    /// <summary>No data is no traffic, which is not a failure.</summary>
    public const string TreatMissingData = "notBreaching";
}

/// <summary>Whose metric an alarm watches.</summary>
public enum AlarmSource
{
    /// <summary><c>AWS/ApiGateway</c>, by <c>ApiId</c> and <c>Stage</c>.</summary>
    HttpApiStage,

    /// <summary><c>AWS/Lambda</c>, by <c>FunctionName</c>.</summary>
    Function,

    /// <summary>The stack's own metric of the access log, in <see cref="MonitoringDefinition.MetricNamespace"/>, without dimensions.</summary>
    AccessLog,
}
