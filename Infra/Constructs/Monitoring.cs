using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace Tap.Infra.Constructs;

/// <summary>
/// What the stack's alarms build on: the SNS topic they notify, subscribed by e-mail when the deploy-time parameter
/// <c>AlarmEmail</c> names an address (<c>--parameters AlarmEmail=ops@example.com</c>; AWS asks the address to
/// confirm), and the throttled-requests metric: an HTTP API has no throttle metric, so a metric filter counts the
/// access log's 429s.
/// </summary>
public sealed class Monitoring : Construct
{
    public const string AlarmEmailParameter = "AlarmEmail";

    /// <summary>The namespace of the metrics the stack makes of its logs.</summary>
    public const string MetricNamespace = "Tap/HttpApi";

    public const string ThrottledRequestsMetric = "ThrottledRequests";

    public Monitoring(Construct scope, string id, ApiGateway api)
        : base(scope, id)
    {
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
            MetricNamespace = MetricNamespace,
            MetricName = ThrottledRequestsMetric,
            MetricValue = "1",
            DefaultValue = 0,
            Unit = Unit.COUNT,
        });
    }

    public Topic AlarmTopic { get; }

    public MetricFilter ThrottledRequests { get; }
}
