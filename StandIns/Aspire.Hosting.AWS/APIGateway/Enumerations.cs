namespace Aspire.Hosting.AWS.Lambda;

/// <summary>The kind of API Gateway API to emulate. Only HTTP APIs with payload format 2.0 are emulated (<see cref="HttpV2"/>).</summary>
public enum APIGatewayType
{
    /// <summary>A REST API.</summary>
    Rest,

    /// <summary>An HTTP API with payload format 1.0.</summary>
    HttpV1,

    /// <summary>An HTTP API with payload format 2.0.</summary>
    HttpV2,
}

/// <summary>The HTTP method a route invokes its Lambda function for.</summary>
public enum Method
{
    Any,
    Get,
    Post,
    Put,
    Delete,
    Patch,
    Head,
    Options,
}
