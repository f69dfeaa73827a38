using Tap.Aws.Errors;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Services;

/// <summary>
/// One AWS service served by LocalAws. A service declares how requests reach it and which operations it has; the
/// one pipeline (<see cref="AwsApiEndpoint"/>) reads, authenticates, traces, logs and shapes errors for all of them.
/// </summary>
public interface IAwsServiceApi
{
    /// <summary>Its signing name, display name and wire protocol.</summary>
    AwsServiceMetadata Metadata { get; }

    /// <summary>The protocol <paramref name="request"/> speaks, which its answer and errors take (one for most services).</summary>
    AwsProtocol ProtocolOf(HttpRequest request) => Metadata.Protocol;

    /// <summary>The route templates its requests arrive on (<c>/</c> for JSON and Query services).</summary>
    IReadOnlyList<string> RoutePatterns { get; }

    /// <summary>
    /// Whether it reads the request body itself, as it arrives (S3's objects): then the pipeline reads none, the
    /// signature is checked over the payload hash the client declares, and the service checks the body against it.
    /// </summary>
    bool StreamsBody { get; }

    /// <summary>Its operations, each with the IAM action it demands.</summary>
    IReadOnlyList<AwsOperation> Operations { get; }

    /// <summary>The largest request body any of its operations accepts.</summary>
    int MaxRequestBytes { get; }

    /// <summary>The error for a body over <see cref="MaxRequestBytes"/>.</summary>
    AwsError RequestTooLarge { get; }

    /// <summary>Whether a request on one of <see cref="RoutePatterns"/> is addressed to this service (decided before the body is read).</summary>
    bool Accepts(HttpRequest request);

    /// <summary>The operation the request names; throws the service's error for one it does not serve.</summary>
    AwsOperationRoute Route(HttpRequest request, byte[] body);

    /// <summary>Runs an authenticated call and writes its response.</summary>
    Task HandleAsync(AwsCall request);
}
