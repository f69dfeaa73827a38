using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Lambda;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// The CloudWatch metrics the stack watches, named by whose they are: the API stage's (<c>AWS/ApiGateway</c> by
/// <c>ApiId</c> and <c>Stage</c>), the function's (<c>AWS/Lambda</c> by <c>FunctionName</c>) and the access log's
/// (the stack's own namespace). The alarms and the dashboard read the same metrics from here.
/// </summary>
public sealed class StackMetrics(MonitoringDefinition definition, ApiGateway api, IFunction function)
{
    /// <param name="statistic">CloudWatch's statistic: <c>Sum</c>, <c>Maximum</c>, or a percentile such as <c>p99</c>.</param>
    public Metric Of(AlarmSource source, string metricName, string statistic, TimeSpan period, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var (metricNamespace, dimensions) = source switch
        {
            AlarmSource.HttpApiStage => ("AWS/ApiGateway", new Dictionary<string, string> { ["ApiId"] = api.Api.ApiId, ["Stage"] = api.Stage.StageName }),
            AlarmSource.Function => ("AWS/Lambda", new Dictionary<string, string> { ["FunctionName"] = function.FunctionName }),
            _ => (definition.MetricNamespace, new Dictionary<string, string>()),
        };
        return new Metric(new MetricProps
        {
            Namespace = metricNamespace,
            MetricName = metricName,
            DimensionsMap = dimensions,
            Statistic = statistic,
            Period = Duration.Seconds(period.TotalSeconds),
            Label = label,
        });
    }
}
