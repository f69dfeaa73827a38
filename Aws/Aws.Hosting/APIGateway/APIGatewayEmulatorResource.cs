using Aspire.Hosting.ApplicationModel;
using Tap.Aws.Hosting;

namespace Aspire.Hosting.AWS.Lambda;

/// <summary>
/// An API Gateway API in front of Lambda functions. LocalAws serves it on an endpoint of its own process (named
/// after this resource), so it shares LocalAws's IAM and functions.
/// </summary>
/// <param name="name">The resource name, which is also the API's name.</param>
/// <param name="apiGatewayType">The kind of API; LocalAws emulates <see cref="APIGatewayType.HttpV2"/>.</param>
public class APIGatewayEmulatorResource(string name, APIGatewayType apiGatewayType) : Resource(name)
{
    internal APIGatewayType ApiGatewayType { get; } = apiGatewayType;

    internal LocalAwsResource LocalAws { get; init; } = null!;

    internal HttpApiSettings Settings { get; } = new(name);

    /// <summary>The endpoint on LocalAws the API listens on.</summary>
    internal EndpointReference Endpoint => new(LocalAws, Name);
}
