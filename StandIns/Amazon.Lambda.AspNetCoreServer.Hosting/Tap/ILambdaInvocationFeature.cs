using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;

namespace Tap.Aws.Lambda.Hosting;

/// <summary>
/// The raw HTTP API event and the invocation behind a request: <c>HttpContext.Features.Get&lt;ILambdaInvocationFeature&gt;()</c>.
/// The official package has no such feature; code meant to move to it reads <c>HttpContext.Items["LambdaRequestObject"]</c>
/// and <c>["LambdaContext"]</c>, which this adapter also sets.
/// </summary>
public interface ILambdaInvocationFeature
{
    APIGatewayHttpApiV2ProxyRequest Request { get; }

    ILambdaContext Context { get; }

    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    DateTimeOffset Deadline { get; }
}
