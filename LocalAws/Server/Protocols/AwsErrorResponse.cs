using Tap.Aws.Errors;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>Writes an error in the shape of the protocol the caller spoke.</summary>
internal static class AwsErrorResponse
{
    /// <param name="service">The service the request was for, when LocalAws serves it (its XML namespace, for Query errors).</param>
    public static Task WriteAsync(HttpResponse response, AwsProtocol protocol, AwsError error, string requestId, AwsServiceMetadata? service = null) => protocol switch
    {
        AwsProtocol.Json => JsonProtocol.WriteErrorAsync(response, error),
        AwsProtocol.RestJson => RestJsonProtocol.WriteErrorAsync(response, error),
        AwsProtocol.RestXml => RestXmlProtocol.WriteErrorAsync(response, error, requestId),
        AwsProtocol.RpcV2Cbor => CborProtocol.WriteErrorAsync(response, error),
        _ => QueryProtocol.WriteErrorAsync(response, error, requestId, service?.XmlNamespace),
    };

    /// <summary>The code of an unexpected server-side failure.</summary>
    public static string ServerErrorCode(AwsProtocol protocol) => protocol switch
    {
        AwsProtocol.Json => "InternalServiceError",
        AwsProtocol.RestJson => "ServiceException",
        AwsProtocol.RestXml => "InternalError",
        _ => "InternalFailure",
    };
}
