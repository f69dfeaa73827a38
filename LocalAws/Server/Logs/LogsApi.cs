using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Logs;

/// <summary>
/// Amazon CloudWatch Logs (AWS JSON 1.1, <c>X-Amz-Target: Logs_20140328.{Operation}</c>): the log group operations a
/// deployment needs, each with the <c>logs:</c> action it demands.
/// </summary>
internal sealed class LogsApi(LogsService service) : IAwsServiceApi
{
    private const string LogGroupArn = "arn:aws:logs:{region}:{account}:log-group:{logGroupName}";

    private static readonly JsonOperationTable<LogsService> Served = new(
    [
        (new("CreateLogGroup", "logs:CreateLogGroup", LogGroupArn), (s, r, a, w) => s.CreateLogGroup(r, a, w)),
        (new("DeleteLogGroup", "logs:DeleteLogGroup", LogGroupArn), (s, r, a, w) => s.DeleteLogGroup(r, a, w)),
        (new("PutRetentionPolicy", "logs:PutRetentionPolicy", LogGroupArn), (s, r, a, w) => s.PutRetentionPolicy(r, a, w)),
        (new("DeleteRetentionPolicy", "logs:DeleteRetentionPolicy", LogGroupArn), (s, r, a, w) => s.DeleteRetentionPolicy(r, a, w)),
        (new("DescribeLogGroups", "logs:DescribeLogGroups", "arn:aws:logs:{region}:{account}:log-group:*"), (s, r, a, w) => s.DescribeLogGroups(r, a, w)),
    ]);

    private static readonly IReadOnlyDictionary<string, AwsOperation> OperationsByName = Served.ByName;

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Logs;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations => [.. OperationsByName.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Json);

    public bool Accepts(HttpRequest request) => JsonTargetRouting.Accepts(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => JsonTargetRouting.Route(Metadata, request, OperationsByName);

    /// <inheritdoc cref="JsonOperationTable{TService}.Invoke"/>
    public static JsonDocument Invoke(LogsService service, string operation, CallerIdentity caller, string region, System.Text.Json.Nodes.JsonObject input) =>
        Served.Invoke(service, operation, caller, region, input);

    public Task HandleAsync(AwsCall request) => Served.HandleAsync(service, request);
}
