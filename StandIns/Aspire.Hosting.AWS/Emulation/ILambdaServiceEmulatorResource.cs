using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.Aws.Hosting;

/// <summary>
/// The local service that serves Lambda functions and API Gateway APIs: what the AWS Lambda Test Tool is to the
/// official package, which this one cannot run. <c>AddAWSLambdaFunction</c> and <c>AddAWSAPIGatewayEmulator</c>
/// hand each new resource to the one emulator in the app model; this package knows nothing else of it.
/// </summary>
public interface ILambdaServiceEmulatorResource : IResource
{
    /// <summary>
    /// Serves <paramref name="lambda"/>: in run mode, points its <c>AWS_LAMBDA_RUNTIME_API</c> at the emulator's
    /// Runtime API and gives it what else its execution environment needs (credentials, health).
    /// </summary>
    void ServeLambdaFunction(IResourceBuilder<LambdaProjectResource> lambda);

    /// <summary>Serves <paramref name="api"/> on <paramref name="options"/>' port (a random one when unset).</summary>
    void ServeAPIGateway(IResourceBuilder<APIGatewayEmulatorResource> api, APIGatewayEmulatorOptions options);
}
