namespace Tap.Aws.Protocol;

/// <summary>The AWS wire protocols whose error shapes differ.</summary>
public enum AwsProtocol
{
    /// <summary>AWS JSON 1.0/1.1 (e.g. Secrets Manager): errors are HTTP 400 with <c>{"__type", "message"}</c>.</summary>
    Json,

    /// <summary>AWS Query (e.g. STS): errors are XML <c>ErrorResponse</c> documents.</summary>
    Query,

    /// <summary>
    /// AWS REST-JSON (e.g. Lambda): operations routed by method and path; errors carry their HTTP status, the code in
    /// <c>x-amzn-ErrorType</c> and <c>{"Type", "message"}</c> as the body.
    /// </summary>
    RestJson,

    /// <summary>
    /// AWS REST-XML (S3): operations routed by method, path and query; errors carry their HTTP status and an XML
    /// <c>Error</c> document with <c>Code</c>, <c>Message</c> and <c>RequestId</c>.
    /// </summary>
    RestXml,

    /// <summary>
    /// Smithy RPC v2 CBOR (CloudWatch, as the newest SDKs speak it): <c>POST /service/{service}/operation/{operation}</c>
    /// with CBOR bodies. The services that speak it here are Query-compatible: their errors carry the Query code
    /// and status, and name it again in <c>x-amzn-query-error</c>.
    /// </summary>
    RpcV2Cbor,
}
