using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// What watches the stack: the definition's alarms, each notifying an SNS topic when it fires and when it recovers;
/// the topic, subscribed by e-mail when the deploy-time parameter <c>AlarmEmail</c> names an address
/// (<c>--parameters AlarmEmail=ops@example.com</c>; AWS asks the address to confirm); the throttled-requests metric
/// (an HTTP API has no throttle metric, so a metric filter counts the access log's 429s); and a dashboard.
/// </summary>
public sealed class Monitoring : Construct
{
    public const string AlarmEmailParameter = "AlarmEmail";

    public Monitoring(Construct scope, string id, MonitoringDefinition definition, ApiGateway api, IFunction function)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(api);
        var email = new CfnParameter(Stack.Of(this), AlarmEmailParameter, new CfnParameterProps
        {
            Type = "String",
            Default = string.Empty,
            AllowedPattern = "^$|^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$",
            ConstraintDescription = "an e-mail address, or empty for none",
            Description = "Where alarms are e-mailed (AWS asks the address to confirm first); empty: no e-mail.",
        });

        AlarmTopic = new Topic(this, "AlarmTopic", new TopicProps { DisplayName = "Tap alarms" });
        var hasEmail = new CfnCondition(this, "HasAlarmEmail", new CfnConditionProps
        {
            Expression = Fn.ConditionNot(Fn.ConditionEquals(email.ValueAsString, string.Empty)),
        });
        var subscription = new CfnSubscription(this, "AlarmEmailSubscription", new CfnSubscriptionProps
        {
            TopicArn = AlarmTopic.TopicArn,
            Protocol = "email",
            Endpoint = email.ValueAsString,
        });
        subscription.CfnOptions.Condition = hasEmail;

        // The access log writes every value as a JSON string ("status":"429"), so the filter compares a string.
        ThrottledRequests = new MetricFilter(this, "ThrottledRequests", new MetricFilterProps
        {
            LogGroup = api.AccessLogs,
            FilterPattern = FilterPattern.StringValue("$.status", "=", "429"),
            MetricNamespace = definition.MetricNamespace,
            MetricName = definition.ThrottledRequestsMetric,
            MetricValue = "1",
            DefaultValue = 0,
            Unit = Unit.COUNT,
        });

        var metrics = new StackMetrics(definition, api, function);
        Alarms = [.. definition.Alarms.Select(alarm => AddAlarm(alarm, metrics))];
        Dashboard = new MonitoringDashboard(this, "Dashboard", definition, metrics, Alarms).Dashboard;
    }

    public Topic AlarmTopic { get; }

    public MetricFilter ThrottledRequests { get; }

    public IReadOnlyList<Alarm> Alarms { get; }

    public Dashboard Dashboard { get; }

    private Alarm AddAlarm(AlarmDefinition definition, StackMetrics metrics)
    {
        var alarm = new Alarm(this, definition.Name + "Alarm", new AlarmProps
        {
            AlarmName = $"{Stack.Of(this).StackName}-{definition.Name}",
            AlarmDescription = definition.Description,
            Metric = metrics.Of(definition.Source, definition.MetricName, definition.Statistic, definition.Period),
            Threshold = definition.Threshold,
            EvaluationPeriods = definition.EvaluationPeriods,
            DatapointsToAlarm = definition.DatapointsToAlarm,
        });

        // The comparison and missing-data rule as the definition spells them (the L2 takes them only as enums).
        var resource = (CfnAlarm)alarm.Node.DefaultChild!;
        resource.ComparisonOperator = AlarmDefinition.ComparisonOperator;
        resource.TreatMissingData = AlarmDefinition.TreatMissingData;

        var notify = new SnsAction(AlarmTopic);
        alarm.AddAlarmAction(notify);
        alarm.AddOkAction(notify);
        return alarm;
    }
}
