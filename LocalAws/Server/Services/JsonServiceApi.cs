using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Services;

/// <summary>
/// What every AWS JSON 1.1 service here shares: <c>POST /</c> with <c>X-Amz-Target</c>, a body of the default size,
/// its operations from one table. A service's API names its metadata and its table.
/// </summary>
internal abstract class JsonServiceApi<TService>(TService service, AwsServiceMetadata metadata, JsonOperationTable<TService> served) : IAwsServiceApi
{
    private readonly IReadOnlyDictionary<string, AwsOperation> _operations = served.ByName;

    public AwsServiceMetadata Metadata => metadata;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations => [.. _operations.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Json);

    public bool Accepts(HttpRequest request) => JsonTargetRouting.Accepts(metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => JsonTargetRouting.Route(metadata, request, _operations);

    public Task HandleAsync(AwsCall request) => served.HandleAsync(service, request);
}
