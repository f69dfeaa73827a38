using Amazon.CDK.AWS.CloudWatch;
using Constructs;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// The CloudWatch dashboard: the metrics the local dashboard shows, the API's in one row and the function's in the
/// next, and the alarms' states. (The init duration LocalAws reports as a metric is, in AWS, only in the REPORT line.)
/// </summary>
public sealed class MonitoringDashboard : Construct
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    public MonitoringDashboard(Construct scope, string id, MonitoringDefinition definition, StackMetrics metrics, IReadOnlyList<Alarm> alarms)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(metrics);
        Metric Api(string name, string statistic = "Sum") => metrics.Of(AlarmSource.HttpApiStage, name, statistic, Minute, $"{name} {statistic}");
        Metric Function(string name, string statistic = "Sum") => metrics.Of(AlarmSource.Function, name, statistic, Minute, $"{name} {statistic}");

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            Widgets =
            [
                [
                    Graph("API requests", Api("Count")),
                    Graph("API errors", Api("4xx"), Api("5xx"), metrics.Of(AlarmSource.AccessLog, definition.ThrottledRequestsMetric, "Sum", Minute, "429 (throttled)")),
                    Graph("API latency (ms)", Api("Latency", "p50"), Api("Latency", "p99"), Api("IntegrationLatency", "p50"), Api("IntegrationLatency", "p99")),
                    Graph("Data processed (bytes)", Api("DataProcessed")),
                ],
                [
                    Graph("Invocations", Function("Invocations")),
                    Graph("Function errors and throttles", Function("Errors"), Function("Throttles")),
                    Graph("Duration (ms)", Function("Duration", "p50"), Function("Duration", "p99"), Function("Duration", "Maximum")),
                    Graph("Concurrent executions", Function("ConcurrentExecutions", "Maximum")),
                ],
                [
                    new AlarmStatusWidget(new AlarmStatusWidgetProps { Title = "Alarms", Alarms = [.. alarms], Width = 24, Height = 3 }),
                ],
            ],
        });
    }

    public Dashboard Dashboard { get; }

    private static GraphWidget Graph(string title, params Metric[] metrics) =>
        new(new GraphWidgetProps { Title = title, Left = metrics, Width = 6, Height = 6 });
}
