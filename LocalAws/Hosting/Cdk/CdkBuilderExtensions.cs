using System.Security.Cryptography.X509Certificates;
using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Provisioning;
using Tap.Aws.Hosting.Provisioning;
using Tap.LocalAws.Hosting.Cdk;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// What the CDK CLI sees to before it deploys a synthesized stack, done by the AppHost for a stack it provisions
/// into LocalAws: the environment's bootstrap stack, and the stack's assets published to its bucket.
/// </summary>
public static class CdkBuilderExtensions
{
    /// <summary>The bootstrap stack's name, as <c>cdk bootstrap</c> gives it.</summary>
    public const string BootstrapStackName = "CDKToolkit";

    /// <summary>
    /// The parameters <c>cdk bootstrap</c> deploys its template with when given no options: S3's managed key for the
    /// assets bucket, no trusted accounts, the template's default execution policy (AdministratorAccess), and the
    /// bucket's public access blocked.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BootstrapParameters { get; } = new Dictionary<string, string>
    {
        ["FileAssetsBucketKmsKeyId"] = "AWS_MANAGED_KEY",
        ["TrustedAccounts"] = string.Empty,
        ["TrustedAccountsForLookup"] = string.Empty,
        ["CloudFormationExecutionPolicies"] = string.Empty,
        ["PublicAccessBlockConfiguration"] = "true",
    };

    /// <summary>
    /// Adds LocalAws's CDK bootstrap stack (<c>CDKToolkit</c>) from <paramref name="templatePath"/>, the CDK CLI's own
    /// bootstrap template (<c>cdk bootstrap --show-template --json</c>), with the parameters <c>cdk bootstrap</c>
    /// uses: what <c>cdk bootstrap aws://000000000000/REGION</c> would deploy, provisioned (and left alone when
    /// unchanged) as the app starts; a bootstrap stack deployed before keeps its key, trusted accounts and execution
    /// policies, as the CLI keeps them. LocalAws must reference the app's AWS SDK configuration.
    /// </summary>
    public static IResourceBuilder<ICloudFormationTemplateResource> AddCdkBootstrap(
        this IResourceBuilder<LocalAwsResource> localAws, string templatePath, [ResourceName] string name = "cdk-bootstrap")
    {
        ArgumentNullException.ThrowIfNull(localAws);
        var config = localAws.Resource.SdkConfig
            ?? throw new InvalidOperationException($"{localAws.Resource.Name} provisions the CDK bootstrap stack with the app's AWS SDK configuration: call WithReference(awsConfig) on it first.");
        var bootstrap = localAws.ApplicationBuilder.AddAWSCloudFormationTemplate(name, templatePath, BootstrapStackName).WithReference(config);
        foreach (var (parameter, value) in BootstrapParameters)
        {
            bootstrap.WithParameter(parameter, value);
        }

        var resource = bootstrap.Resource;
        return bootstrap.WithAnnotation(new StackPreparationAnnotation(async (_, cancellationToken) =>
        {
            if (resource.CloudFormationClient is not { } client)
            {
                return;
            }

            try
            {
                var current = (await client.DescribeStacksAsync(new DescribeStacksRequest { StackName = BootstrapStackName }, cancellationToken).ConfigureAwait(false)).Stacks![0];
                var parameters = (current.Parameters ?? []).ToDictionary(p => p.ParameterKey!, p => p.ParameterValue ?? string.Empty, StringComparer.Ordinal);
                foreach (var (parameter, value) in BootstrapParametersOver(parameters))
                {
                    resource.AddParameter(parameter, value);
                }
            }
            catch (AmazonCloudFormationException ex) when (ex.ErrorCode == "ValidationError")
            {
                // Not bootstrapped yet: the defaults stand.
            }
        }));
    }

    /// <summary>
    /// What <c>cdk bootstrap</c> with no options deploys over an existing bootstrap stack's parameters: it keeps the
    /// assets bucket's key, the trusted accounts and the execution policies the stack has, and blocks public access.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> BootstrapParametersOver(IReadOnlyDictionary<string, string> current)
    {
        var parameters = new Dictionary<string, string>(BootstrapParameters, StringComparer.Ordinal);
        foreach (var kept in (string[])["FileAssetsBucketKmsKeyId", "TrustedAccounts", "TrustedAccountsForLookup", "CloudFormationExecutionPolicies"])
        {
            if (current.TryGetValue(kept, out var value))
            {
                parameters[kept] = value;
            }
        }

        return parameters;
    }

    /// <summary>
    /// Publishes the stack's CDK assets (<paramref name="assetManifestPath"/>, the cloud assembly's
    /// <c>{stack}.assets.json</c>) into LocalAws's S3 before the stack is deployed, once <paramref name="bootstrap"/>
    /// has created their bucket: what <c>cdk deploy</c> does first. An asset already published is not sent again.
    /// </summary>
    public static IResourceBuilder<ICloudFormationTemplateResource> WithCdkAssets(
        this IResourceBuilder<ICloudFormationTemplateResource> stack, string assetManifestPath, IResourceBuilder<ICloudFormationTemplateResource> bootstrap)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentException.ThrowIfNullOrWhiteSpace(assetManifestPath);
        var manifest = Path.GetFullPath(Path.Combine(stack.ApplicationBuilder.AppHostDirectory, assetManifestPath));
        var resource = stack.Resource;
        return stack
            .WaitFor(bootstrap)
            .WithAnnotation(new StackPreparationAnnotation(async (logger, cancellationToken) =>
            {
                var localAws = LocalAwsCloudFormation.ProvisionerOf(resource)
                    ?? throw new AWSProvisioningException($"The CDK assets of {resource.Name} are published into LocalAws only, and this stack is not provisioned by LocalAws.");
                var admin = await localAws.GetAdminCredentialsAsync(cancellationToken).ConfigureAwait(false);
                using var ca = await CaCertificateAsync(localAws, cancellationToken).ConfigureAwait(false);
                var publisher = new CdkAssetPublisher(new Uri(localAws.HttpsEndpoint.Url + "/"), ca, admin, localAws.AccountId, localAws.Region);
                await publisher.PublishAsync(manifest, logger, cancellationToken).ConfigureAwait(false);
            }));
    }

    /// <summary>LocalAws's CA certificate, as it serves it (it may keep its CA in memory only).</summary>
    private static async Task<X509Certificate2> CaCertificateAsync(LocalAwsResource localAws, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var pem = await http.GetStringAsync(new Uri($"{localAws.PrimaryEndpoint.Url}/_localaws/ca.pem"), cancellationToken).ConfigureAwait(false);
        return X509Certificate2.CreateFromPem(pem);
    }
}
