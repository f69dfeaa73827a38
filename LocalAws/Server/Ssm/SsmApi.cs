using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// AWS Systems Manager's Parameter Store (AWS JSON 1.1, <c>X-Amz-Target: AmazonSSM.{Operation}</c>): the operations
/// a deployment needs, each with the <c>ssm:</c> action it demands.
/// </summary>
internal sealed class SsmApi(ParameterStoreService service) : IAwsServiceApi
{
    private const string ParameterArn = "arn:aws:ssm:{region}:{account}:parameter/{Name}";

    private static readonly Dictionary<string, (AwsOperation Operation, Action<ParameterStoreService, JsonRequest, AccessCheck, Utf8JsonWriter> Run)> Served = new (AwsOperation, Action<ParameterStoreService, JsonRequest, AccessCheck, Utf8JsonWriter>)[]
    {
        (new("PutParameter", "ssm:PutParameter", ParameterArn), (s, r, a, w) => s.PutParameter(r, a, w)),
        (new("GetParameter", "ssm:GetParameter", ParameterArn), (s, r, a, w) => s.GetParameter(r, a, w)),
        (new("GetParameters", "ssm:GetParameters", ParameterArn), (s, r, a, w) => s.GetParameters(r, a, w)),
        (new("GetParametersByPath", "ssm:GetParametersByPath", "arn:aws:ssm:{region}:{account}:parameter/{Path}"), (s, r, a, w) => s.GetParametersByPath(r, a, w)),
        (new("DeleteParameter", "ssm:DeleteParameter", ParameterArn), (s, r, a, w) => s.DeleteParameter(r, a, w)),
        (new("DeleteParameters", "ssm:DeleteParameters", ParameterArn), (s, r, a, w) => s.DeleteParameters(r, a, w)),
        (new("DescribeParameters", "ssm:DescribeParameters", "*"), (s, r, a, w) => s.DescribeParameters(r, a, w)),
        (new("GetParameterHistory", "ssm:GetParameterHistory", ParameterArn), (s, r, a, w) => s.GetParameterHistory(r, a, w)),
    }.ToDictionary(o => o.Item1.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, AwsOperation> OperationsByName = Served.ToDictionary(s => s.Key, s => s.Value.Operation, StringComparer.Ordinal);

    public AwsServiceMetadata Metadata => AwsServiceMetadata.Ssm;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations => [.. OperationsByName.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Json);

    public bool Accepts(HttpRequest request) => JsonTargetRouting.Accepts(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => JsonTargetRouting.Route(Metadata, request, OperationsByName);

    /// <summary>
    /// Runs <paramref name="operation"/> as <paramref name="caller"/>, as another LocalAws service acting for a
    /// caller does (CloudFormation's resource handlers): the same checks and IAM authorization as a client's call.
    /// </summary>
    /// <returns>The operation's JSON answer.</returns>
    public static JsonDocument Invoke(ParameterStoreService service, string operation, CallerIdentity caller, string region, System.Text.Json.Nodes.JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(input);
        var served = Served[operation];
        using var body = JsonRequest.Parse(JsonSerializer.SerializeToUtf8Bytes(input), operation);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            served.Run(service, body, new AccessCheck(caller, served.Operation, region, secureTransport: true, AwsProtocol.Json), writer);
        }

        return JsonDocument.Parse(buffer.ToArray());
    }

    public async Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.Operation.Name;
        if (!Served.TryGetValue(operation, out var served))
        {
            throw AwsServiceException.Json("UnknownOperationException", $"The operation {operation} is not supported by this endpoint.");
        }

        using var body = JsonRequest.Parse(request.Body, operation);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            served.Run(service, body, request.Access, writer);
        }

        var response = request.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = AwsJsonProtocol.ContentType;
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }
}
