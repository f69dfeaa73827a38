using System.Text.Json.Nodes;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.CloudWatch;

/// <summary>
/// Amazon CloudWatch's alarms and dashboards, signing name <c>monitoring</c>, in the three protocols its service
/// model lists: AWS Query (<c>Version=2010-08-01</c> on <c>POST /</c>; AWS CLI v2 and the older SDKs), AWS JSON 1.0
/// (<c>X-Amz-Target: GraniteServiceVersion20100801.{Operation}</c>; botocore, so AWS CLI v1 and boto3) and Smithy RPC
/// v2 CBOR (<c>POST /service/GraniteServiceVersion20100801/operation/{Operation}</c>). One table of operations serves
/// all three, and CloudFormation's handlers through <see cref="Invoke"/>.
/// </summary>
internal sealed class CloudWatchApi(CloudWatchService cloudWatch) : IAwsServiceApi
{
    private const string ApiVersion = "2010-08-01";

    private const string RpcServiceName = "GraniteServiceVersion20100801";

    private const string CborPathPrefix = $"/service/{RpcServiceName}/operation/";

    private const string JsonTargetPrefix = RpcServiceName + ".";

    private const string Alarm = "arn:aws:cloudwatch:{region}:{account}:alarm:{AlarmName}";

    private const string DashboardArn = "arn:aws:cloudwatch::{account}:dashboard/{DashboardName}";

    private static readonly Dictionary<string, (AwsOperation Operation, Func<CloudWatchService, CloudWatchInput, AccessCheck, JsonObject> Run)> Served = new[]
    {
        Operation("PutMetricAlarm", Alarm, (s, i, a) => s.PutMetricAlarm(i, a)),
        Operation("DescribeAlarms", "arn:aws:cloudwatch:{region}:{account}:alarm:*", (s, i, a) => s.DescribeAlarms(i, a)),
        Operation("DeleteAlarms", Alarm, (s, i, a) => s.DeleteAlarms(i, a)),
        Operation("SetAlarmState", Alarm, (s, i, a) => s.SetAlarmState(i, a)),
        Operation("EnableAlarmActions", Alarm, (s, i, a) => s.EnableAlarmActions(i, a)),
        Operation("DisableAlarmActions", Alarm, (s, i, a) => s.DisableAlarmActions(i, a)),
        Operation("PutDashboard", DashboardArn, (s, i, a) => s.PutDashboard(i, a)),
        Operation("GetDashboard", DashboardArn, (s, i, a) => s.GetDashboard(i, a)),
        Operation("ListDashboards", "*", (s, i, a) => s.ListDashboards(i, a)),
        Operation("DeleteDashboards", DashboardArn, (s, i, a) => s.DeleteDashboards(i, a)),
        Operation("TagResource", "{ResourceARN}", (s, i, a) => s.TagResource(i, a)),
        Operation("UntagResource", "{ResourceARN}", (s, i, a) => s.UntagResource(i, a)),
        Operation("ListTagsForResource", "{ResourceARN}", (s, i, a) => s.ListTagsForResource(i, a)),
    }.ToDictionary(o => o.Operation.Name, StringComparer.Ordinal);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.CloudWatch;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/", CborPathPrefix + "{operation}"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [.. Served.Values.Select(s => s.Operation)];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Query);

    public AwsProtocol ProtocolOf(HttpRequest request) =>
        IsCbor(request) ? AwsProtocol.RpcV2Cbor : IsJson(request) ? AwsProtocol.Json : AwsProtocol.Query;

    public bool Accepts(HttpRequest request) =>
        IsCbor(request) || (request.Path == "/" && (IsJson(request) || QueryRouting.AcceptsSignedFor(Metadata, request)));

    public AwsOperationRoute Route(HttpRequest request, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = ProtocolOf(request) switch
        {
            AwsProtocol.RpcV2Cbor => request.Path.Value![CborPathPrefix.Length..],
            AwsProtocol.Json => request.Headers[AwsHeaders.Target].ToString()[JsonTargetPrefix.Length..],
            _ => null,
        };

        // As for Query, an operation not served is refused once the caller is known.
        return name is null
            ? QueryRouting.Route(request, body, Operations)
            : new AwsOperationRoute(Served.TryGetValue(name, out var served) ? served.Operation : new AwsOperation(name, null, "*"), new Dictionary<string, string>());
    }

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.Context.Response;
        var protocol = ProtocolOf(request.Context.Request);
        if (protocol == AwsProtocol.Query)
        {
            var name = QueryRouting.ServedOperation(request, ApiVersion);
            var output = Served[name].Run(cloudWatch, new CloudWatchInput(QueryDocument.Read(request.Parameters)), request.Access);
            return QueryProtocol.WriteAsync(response, Metadata, name, request.RequestId, xml => QueryDocument.Write(xml, output));
        }

        var operation = Served.TryGetValue(request.Operation.Name, out var served) && request.Operation.IamAction is not null
            ? served
            : throw AwsServiceException.Query(protocol == AwsProtocol.Json ? 400 : 404, "UnknownOperationException", $"The operation {request.Operation.Name} is not served by this endpoint.");
        return protocol == AwsProtocol.Json
            ? JsonProtocol.WriteDocumentAsync(response, operation.Run(cloudWatch, new CloudWatchInput(JsonProtocol.ReadDocument(request.Body)), request.Access), JsonProtocol.ContentType10)
            : CborProtocol.WriteAsync(response, operation.Run(cloudWatch, new CloudWatchInput(CborProtocol.ReadInput(request.Body)), request.Access));
    }

    /// <summary>Runs <paramref name="operation"/> as <paramref name="caller"/>, as CloudFormation's handlers do, with a client's checks and authorization.</summary>
    public static JsonObject Invoke(CloudWatchService service, string operation, CallerIdentity caller, string region, JsonObject input)
    {
        var served = Served[operation];
        return served.Run(service, new CloudWatchInput(input), new AccessCheck(caller, served.Operation, region, secureTransport: true, AwsProtocol.Query));
    }

    private static bool IsJson(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Headers[AwsHeaders.Target].ToString().StartsWith(JsonTargetPrefix, StringComparison.Ordinal);

    private static bool IsCbor(HttpRequest request) =>
        request.Path.StartsWithSegments(CborPathPrefix.TrimEnd('/'), StringComparison.Ordinal) && CborProtocol.IsCborRequest(request);

    private static (AwsOperation Operation, Func<CloudWatchService, CloudWatchInput, AccessCheck, JsonObject> Run) Operation(
        string name, string resource, Func<CloudWatchService, CloudWatchInput, AccessCheck, JsonObject> run) =>
        (new AwsOperation(name, "cloudwatch:" + name, resource), run);
}
