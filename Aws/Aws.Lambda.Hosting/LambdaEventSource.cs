namespace Amazon.Lambda.AspNetCoreServer.Hosting;

/// <summary>Which AWS service invokes the function (names as in the official hosting package).</summary>
public enum LambdaEventSource
{
    /// <summary>API Gateway REST API (payload 1.0). Not supported by this adapter.</summary>
    RestApi,

    /// <summary>API Gateway HTTP API, payload format 2.0.</summary>
    HttpApi,

    /// <summary>Application Load Balancer. Not supported by this adapter.</summary>
    ApplicationLoadBalancer,
}
