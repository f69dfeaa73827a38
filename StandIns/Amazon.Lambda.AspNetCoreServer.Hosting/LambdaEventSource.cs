namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The service that sends HTTP requests to the function, as in the official hosting package.</summary>
public enum LambdaEventSource
{
    /// <summary>API Gateway REST API (payload 1.0). Not supported here: <c>AddAWSLambdaHosting</c> throws <see cref="NotSupportedException"/>.</summary>
    RestApi,

    /// <summary>API Gateway HTTP API, payload format 2.0.</summary>
    HttpApi,

    /// <summary>Application Load Balancer. Not supported here: <c>AddAWSLambdaHosting</c> throws <see cref="NotSupportedException"/>.</summary>
    ApplicationLoadBalancer,

    /// <summary>API Gateway WebSocket API. Not supported here: <c>AddAWSLambdaHosting</c> throws <see cref="NotSupportedException"/>.</summary>
    WebsocketApi,
}
