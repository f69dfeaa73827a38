using Amazon.Runtime;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// LocalAws: one process serving AWS's wire protocols on this machine (SigV4, IAM policy evaluation, STS, Secrets
/// Manager, Lambda's Invoke and Runtime APIs, and each HTTP API on its own endpoint). Its principals, functions and
/// APIs come from the app model; it keeps its state in <see cref="DataDirectory"/> when one is set. It is the app's
/// Lambda service emulator: the functions and APIs the Aspire.Hosting.AWS calls add are served by it. Like the
/// official package's emulators it is an executable: the program LocalAws's build writes, run with <c>dotnet</c>.
/// </summary>
public sealed class LocalAwsResource : ExecutableResource, ILambdaServiceEmulatorResource
{
    /// <summary>
    /// The key of the AppHost assembly's <see cref="System.Reflection.AssemblyMetadataAttribute"/> naming LocalAws's
    /// program (<c>Tap.LocalAws.dll</c>), which the AppHost's build writes.
    /// </summary>
    public const string ProgramMetadataKey = "LocalAwsProgram";

    /// <summary>The endpoint every AWS API is served on.</summary>
    public const string PrimaryEndpointName = "http";

    /// <summary>
    /// The endpoint every AWS API is served on over HTTPS, with a certificate from LocalAws's own CA (its certificate
    /// at <see cref="CaCertificatePath"/> and at <c>/_localaws/ca.pem</c>): <c>aws:SecureTransport</c> is true here.
    /// </summary>
    public const string HttpsEndpointName = "https";

    /// <summary>
    /// The endpoint functions poll Lambda's Runtime API on: not proxied, so LocalAws sees each function process at
    /// the far end of its connection and counts every replica as an execution environment of its own.
    /// </summary>
    public const string RuntimeApiEndpointName = "runtime-api";

    /// <summary>The emulated account.</summary>
    public const string DefaultAccountId = "000000000000";

    /// <summary>The emulated region unless an <see cref="IAWSSDKConfig"/> with a region is referenced.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <param name="name">The resource name.</param>
    /// <param name="adminAccessKeyId">The admin user's access key id (the AppHost provisions with it).</param>
    /// <param name="adminSecretAccessKey">The admin user's secret access key.</param>
    /// <param name="programPath">LocalAws's program (<c>Tap.LocalAws.dll</c>); unknown when null, and then LocalAws cannot start.</param>
    public LocalAwsResource(string name, ParameterResource adminAccessKeyId, ParameterResource adminSecretAccessKey, string? programPath)
        : base(name, "dotnet", programPath is null ? Environment.CurrentDirectory : Path.GetDirectoryName(programPath)!)
    {
        ArgumentNullException.ThrowIfNull(adminAccessKeyId);
        ArgumentNullException.ThrowIfNull(adminSecretAccessKey);
        AdminAccessKeyId = adminAccessKeyId;
        AdminSecretAccessKey = adminSecretAccessKey;
        ProgramPath = programPath;
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
        HttpsEndpoint = new EndpointReference(this, HttpsEndpointName);
        RuntimeApiEndpoint = new EndpointReference(this, RuntimeApiEndpointName);
    }

    /// <summary>LocalAws's program, which <c>dotnet</c> runs; null when the AppHost's build did not name it.</summary>
    public string? ProgramPath { get; }

    /// <summary>Where AWS clients reach LocalAws.</summary>
    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>Where AWS clients reach LocalAws over HTTPS.</summary>
    public EndpointReference HttpsEndpoint { get; }

    /// <summary>
    /// The file holding LocalAws's CA certificate (what <c>AWS_CA_BUNDLE</c> names) when it keeps a data directory;
    /// without one, the CA lives in memory and its certificate is only served at <c>/_localaws/ca.pem</c>.
    /// </summary>
    public string? CaCertificatePath => DataDirectory is { } directory
        ? Path.Combine(directory, Settings.LocalAwsSettings.CaCertificateDirectory, Settings.LocalAwsSettings.CaCertificateFileName)
        : null;

    /// <summary>Where functions' processes reach Lambda's Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public EndpointReference RuntimeApiEndpoint { get; }

    /// <summary>The access key id of LocalAws's admin user (every action allowed).</summary>
    public ParameterResource AdminAccessKeyId { get; }

    /// <summary>The admin user's secret access key.</summary>
    public ParameterResource AdminSecretAccessKey { get; }

    /// <summary>The admin user's access key, for the AppHost's own calls (provisioning, rotation, the Invoke command).</summary>
    internal async Task<ImmutableCredentials> GetAdminCredentialsAsync(CancellationToken cancellationToken) => new(
        await AdminAccessKeyId.GetValueAsync(cancellationToken).ConfigureAwait(false),
        await AdminSecretAccessKey.GetValueAsync(cancellationToken).ConfigureAwait(false),
        token: null);

    /// <summary>The emulated account id.</summary>
    public string AccountId { get; } = DefaultAccountId;

    /// <summary>The emulated region: the referenced <see cref="IAWSSDKConfig"/>'s, else <see cref="DefaultRegion"/>.</summary>
    public string Region => SdkConfig?.Region?.SystemName ?? DefaultRegion;

    /// <summary>The AWS SDK configuration LocalAws takes its region from.</summary>
    internal IAWSSDKConfig? SdkConfig { get; set; }

    /// <summary>Where state is kept across runs (absolute path); in memory when unset.</summary>
    public string? DataDirectory { get; internal set; }

    /// <summary>The largest S3 object or part LocalAws accepts, in MiB; LocalAws's default when unset.</summary>
    public int? S3MaxObjectMegabytes { get; internal set; }

    /// <summary>The cap on all S3 object versions and parts together, in MiB; LocalAws's default when unset.</summary>
    public int? S3MaxStorageMegabytes { get; internal set; }

    /// <summary>Where secret settings are written for LocalAws and the functions.</summary>
    internal LocalAwsCredentialFiles CredentialFiles { get; } = new();

    /// <summary>An ARN in the emulated account and region, e.g. <c>Arn("secretsmanager", "secret:name-AbCdEf")</c>.</summary>
    public string Arn(string service, string resource) => $"arn:aws:{service}:{Region}:{AccountId}:{resource}";

    /// <summary>An IAM ARN (IAM is global: no region), e.g. <c>IamArn("role/name")</c>.</summary>
    public string IamArn(string resource) => $"arn:aws:iam::{AccountId}:{resource}";

    void ILambdaServiceEmulatorResource.ServeLambdaFunction(IResourceBuilder<LambdaProjectResource> lambda) =>
        LocalAwsLambdaFunctions.Serve(lambda.ApplicationBuilder.CreateResourceBuilder(this), lambda);

    void ILambdaServiceEmulatorResource.ServeAPIGateway(IResourceBuilder<APIGatewayEmulatorResource> api, APIGatewayEmulatorOptions options) =>
        HttpApiLifecycle.Serve(api.ApplicationBuilder.CreateResourceBuilder(this), api, options);
}
