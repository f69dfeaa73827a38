using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.Aws.Hosting.Tests;

/// <summary>An emulator that serves nothing and records what it was handed: the package must need nothing more of one.</summary>
internal sealed class RecordingEmulator(string name) : Resource(name), ILambdaServiceEmulatorResource
{
    public List<LambdaProjectResource> Functions { get; } = [];

    public List<(APIGatewayEmulatorResource Api, APIGatewayEmulatorOptions Options)> Apis { get; } = [];

    public void ServeLambdaFunction(IResourceBuilder<LambdaProjectResource> lambda) => Functions.Add(lambda.Resource);

    public void ServeAPIGateway(IResourceBuilder<APIGatewayEmulatorResource> api, APIGatewayEmulatorOptions options) => Apis.Add((api.Resource, options));
}
