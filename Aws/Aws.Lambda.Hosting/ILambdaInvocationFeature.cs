using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;

namespace Amazon.Lambda.AspNetCoreServer.Hosting;

/// <summary>The raw HTTP API event and the invocation behind a request: <c>HttpContext.Features.Get&lt;ILambdaInvocationFeature&gt;()</c>.
/// Also in <c>HttpContext.Items["LambdaRequestObject"]</c> and <c>["LambdaContext"]</c>, as in the official package.</summary>
public interface ILambdaInvocationFeature
{
    APIGatewayHttpApiV2ProxyRequest Request { get; }

    ILambdaContext Context { get; }
}
