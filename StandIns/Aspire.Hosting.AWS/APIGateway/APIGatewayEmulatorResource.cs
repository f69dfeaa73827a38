using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.AWS.Lambda;

/// <summary>
/// An API Gateway API in front of Lambda functions, served by the app's Lambda service emulator. Its routes are
/// <see cref="Tap.Aws.Hosting.APIGatewayRouteAnnotation"/>s. Like the official executable resource it can
/// <c>WaitFor</c> other resources: the emulator serves it once they are ready.
/// </summary>
/// <param name="name">The resource name, which is also the API's name.</param>
public class APIGatewayEmulatorResource(string name) : Resource(name), IResourceWithWaitSupport;
