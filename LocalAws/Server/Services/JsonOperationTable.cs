using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Services;

/// <summary>
/// An AWS JSON 1.1 service's operations, each run over its parsed request and writing its answer: served to
/// clients, and run by other LocalAws services acting for a caller (CloudFormation's resource handlers) with the
/// same checks and IAM authorization as a client's call.
/// </summary>
/// <typeparam name="TService">What runs the operations.</typeparam>
internal sealed class JsonOperationTable<TService>(IEnumerable<(AwsOperation Operation, Action<TService, JsonRequest, AccessCheck, Utf8JsonWriter> Run)> operations)
{
    private readonly Dictionary<string, (AwsOperation Operation, Action<TService, JsonRequest, AccessCheck, Utf8JsonWriter> Run)> _served =
        operations.ToDictionary(o => o.Operation.Name, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, AwsOperation> ByName => _served.ToDictionary(s => s.Key, s => s.Value.Operation, StringComparer.Ordinal);

    public async Task HandleAsync(TService service, AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var operation = request.Operation.Name;
        if (!_served.TryGetValue(operation, out var served))
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

    /// <summary>Runs <paramref name="operation"/> as <paramref name="caller"/>, as another LocalAws service acting for a caller does.</summary>
    /// <returns>The operation's JSON answer.</returns>
    public JsonDocument Invoke(TService service, string operation, CallerIdentity caller, string region, JsonObject input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var served = _served[operation];
        using var body = JsonRequest.Parse(JsonSerializer.SerializeToUtf8Bytes(input), operation);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            served.Run(service, body, new AccessCheck(caller, served.Operation, region, secureTransport: true, AwsProtocol.Json), writer);
        }

        return JsonDocument.Parse(buffer.ToArray());
    }
}
