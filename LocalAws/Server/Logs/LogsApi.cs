using System.Text.Json;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Logs;

/// <summary>
/// Amazon CloudWatch Logs (AWS JSON 1.1, <c>X-Amz-Target: Logs_20140328.{Operation}</c>): the log group and metric
/// filter operations a deployment needs, each with the <c>logs:</c> action it demands.
/// </summary>
internal sealed class LogsApi(LogsService service) : JsonServiceApi<LogsService>(service, AwsServiceMetadata.Logs, Served)
{
    private const string LogGroupArn = "arn:aws:logs:{region}:{account}:log-group:{logGroupName}";

    private static readonly JsonOperationTable<LogsService> Served = new(
    [
        (new("CreateLogGroup", "logs:CreateLogGroup", LogGroupArn), (s, r, a, w) => s.CreateLogGroup(r, a, w)),
        (new("DeleteLogGroup", "logs:DeleteLogGroup", LogGroupArn), (s, r, a, w) => s.DeleteLogGroup(r, a, w)),
        (new("PutRetentionPolicy", "logs:PutRetentionPolicy", LogGroupArn), (s, r, a, w) => s.PutRetentionPolicy(r, a, w)),
        (new("DeleteRetentionPolicy", "logs:DeleteRetentionPolicy", LogGroupArn), (s, r, a, w) => s.DeleteRetentionPolicy(r, a, w)),
        (new("DescribeLogGroups", "logs:DescribeLogGroups", "arn:aws:logs:{region}:{account}:log-group:*"), (s, r, a, w) => s.DescribeLogGroups(r, a, w)),
        (new("PutMetricFilter", "logs:PutMetricFilter", LogGroupArn), (s, r, a, w) => s.PutMetricFilter(r, a, w)),
        (new("DeleteMetricFilter", "logs:DeleteMetricFilter", LogGroupArn), (s, r, a, w) => s.DeleteMetricFilter(r, a, w)),
        (new("DescribeMetricFilters", "logs:DescribeMetricFilters", LogGroupArn), (s, r, a, w) => s.DescribeMetricFilters(r, a, w)),
    ]);

    /// <inheritdoc cref="JsonOperationTable{TService}.Invoke"/>
    public static JsonDocument Invoke(LogsService service, string operation, CallerIdentity caller, string region, System.Text.Json.Nodes.JsonObject input) =>
        Served.Invoke(service, operation, caller, region, input);
}
