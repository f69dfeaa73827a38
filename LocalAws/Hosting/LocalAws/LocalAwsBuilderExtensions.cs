using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>Adds LocalAws, the local AWS the other resources of this library, and Aspire.Hosting.AWS's functions and APIs, are served by.</summary>
public static class LocalAwsBuilderExtensions
{
    /// <summary>
    /// Adds LocalAws, the program the AppHost's build names (an AppHost <c>ProjectReference</c> to LocalAws's project
    /// with <c>OutputItemType="LocalAwsProgram"</c>, compiled in as assembly metadata), with an admin user whose
    /// access key is a pair of secret parameters, <c>{name}-admin-access-key-id</c> and
    /// <c>{name}-admin-secret-access-key</c> (generated and kept in user secrets unless configured). Its IAM
    /// principals, Lambda functions and HTTP APIs are written into its configuration from the app model when it
    /// starts; it is healthy when its <c>/health</c> answers.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="port">The port AWS clients use over HTTP (e.g. 4566); a random one when unset.</param>
    /// <param name="httpsPort">The port they use over HTTPS (e.g. 4567), with a certificate from LocalAws's own CA; a random one when unset.</param>
    public static IResourceBuilder<LocalAwsResource> AddLocalAws(this IDistributedApplicationBuilder builder, string name, int? port = null, int? httpsPort = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var program = builder.AppHostAssembly?.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(metadata => metadata.Key == LocalAwsResource.ProgramMetadataKey)?.Value;
        return builder.AddLocalAws(name, port, httpsPort, string.IsNullOrEmpty(program) ? null : program);
    }

    internal static IResourceBuilder<LocalAwsResource> AddLocalAws(this IDistributedApplicationBuilder builder, string name, int? port, int? httpsPort, string? programPath)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (builder.Resources.OfType<LocalAwsResource>().Any())
        {
            throw new InvalidOperationException("LocalAws has already been added: one LocalAws serves every AWS resource of the app.");
        }

        var admin = AwsAccessKeyParameters.Add(builder, $"{name}-admin");
        // WithoutHttpsCertificate is evaluation-only API (ASPIRECERTIFICATES001).
#pragma warning disable ASPIRECERTIFICATES001
        var localAws = builder.AddResource(new LocalAwsResource(name, admin.AccessKeyId.Resource, admin.SecretAccessKey.Resource, programPath))
            .WithHttpEndpoint(port: port, name: LocalAwsResource.PrimaryEndpointName)
            .WithHttpsEndpoint(port: httpsPort, name: LocalAwsResource.HttpsEndpointName)
            // LocalAws serves HTTPS with a certificate from its own CA, not the ASP.NET Core developer certificate.
            .WithoutHttpsCertificate()
            .WithHttpEndpoint(name: LocalAwsResource.RuntimeApiEndpointName, isProxied: false)
            .WithUrlForEndpoint(LocalAwsResource.RuntimeApiEndpointName, url => url.DisplayLocation = UrlDisplayLocation.DetailsOnly)
            .WithHealthCheck(HealthCheckKey(name))
            .WithOtlpExporter()
            .ExcludeFromManifest();
#pragma warning restore ASPIRECERTIFICATES001
        localAws.WithArgs(context =>
        {
            if (context.ExecutionContext.IsRunMode)
            {
                context.Args.Add(localAws.Resource.ProgramPath ?? throw new InvalidOperationException(
                    $"LocalAws's program is not known: the AppHost's project must reference LocalAws's project with OutputItemType=\"{LocalAwsResource.ProgramMetadataKey}\" and compile its path in as AssemblyMetadata(\"{LocalAwsResource.ProgramMetadataKey}\", path)."));
                context.Args.Add("--config");
                context.Args.Add(localAws.Resource.CredentialFiles.SettingsPath);
            }
        });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(HealthCheckKey(name),
            services => new LocalAwsHealthCheck(localAws.Resource, services.GetRequiredService<IHttpClientFactory>(), TimeProvider.System),
            failureStatus: null,
            tags: null));
        admin.AccessKeyId.WithParentRelationship(localAws);
        admin.SecretAccessKey.WithParentRelationship(localAws);

        localAws.WithEnvironment(async context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                return;
            }

            var resource = localAws.Resource;
            // What AddProject gives a project: Kestrel's URLs (each HTTP API's endpoint is LocalAws's gateway's own
            // listener, not Kestrel's), the OTLP exporter's retries, and console logs the dashboard shows in colour.
            context.EnvironmentVariables["ASPNETCORE_URLS"] = ReferenceExpression.Create(
                $"{KestrelUrl(resource.PrimaryEndpoint)};{KestrelUrl(resource.HttpsEndpoint)};{KestrelUrl(resource.RuntimeApiEndpoint)}");
            context.EnvironmentVariables["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"] = "in_memory";
            context.EnvironmentVariables["DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION"] = "true";
            context.EnvironmentVariables["LOGGING__CONSOLE__FORMATTERNAME"] = "simple";

            var settings = await LocalAwsSettingsBuilder.BuildAsync(resource, builder.Resources, context.CancellationToken).ConfigureAwait(false);
            var configuration = settings.ToConfiguration().ToList();
            await resource.CredentialFiles.WriteSettingsAsync(
                configuration.Where(setting => LocalAwsSettings.IsSecret(setting.Key)), context.CancellationToken).ConfigureAwait(false);
            foreach (var (key, value) in configuration.Where(setting => !LocalAwsSettings.IsSecret(setting.Key)))
            {
                context.EnvironmentVariables[LocalAwsSettings.EnvironmentVariableName(key)] = value;
            }

            for (var i = 0; i < settings.HttpApis.Count; i++)
            {
                var endpoint = resource.GetEndpoint(settings.HttpApis[i].Name);
                context.EnvironmentVariables[LocalAwsSettings.EnvironmentVariableName(LocalAwsHttpApiSettings.UrlKey(LocalAwsSettings.HttpApiPath(i)))] =
                    ReferenceExpression.Create($"http://localhost:{endpoint.Property(EndpointProperty.TargetPort)}");
            }

            // A deployed API's port is its endpoint's, known once DCP has allocated it.
            for (var i = 0; i < settings.ApiPorts.Count; i++)
            {
                var endpoint = resource.GetEndpoint(settings.ApiPorts[i].Name);
                context.EnvironmentVariables[LocalAwsSettings.EnvironmentVariableName(LocalAwsApiPortSettings.PortKey(LocalAwsSettings.ApiPortPath(i)))] =
                    endpoint.Property(EndpointProperty.TargetPort);
            }
        });
        LocalAwsCloudFormation.Serve(localAws);
        return localAws;
    }

    private static string HealthCheckKey(string name) => $"{name}_health";

    private static ReferenceExpression KestrelUrl(EndpointReference endpoint) =>
        ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Scheme)}://localhost:{endpoint.Property(EndpointProperty.TargetPort)}");

    /// <summary>
    /// Keeps LocalAws's state (secrets, their versions and tags) in <paramref name="path"/> across runs, and adds a
    /// "Reset local state" command that stops LocalAws, deletes the directory and starts LocalAws again.
    /// </summary>
    /// <param name="builder">LocalAws.</param>
    /// <param name="path">The directory, relative to the AppHost's directory or absolute.</param>
    public static IResourceBuilder<LocalAwsResource> WithDataDirectory(this IResourceBuilder<LocalAwsResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        builder.Resource.DataDirectory = Path.GetFullPath(Path.Combine(builder.ApplicationBuilder.AppHostDirectory, path));
        return LocalAwsResetCommand.Add(builder);
    }

    /// <summary>
    /// Caps what LocalAws's S3 stores: the largest object or part, and all object versions and parts together, in MiB
    /// (by default 5,120 — S3's own limit on one PUT — and 10,240). Past them S3 answers <c>EntityTooLarge</c>.
    /// </summary>
    /// <param name="builder">LocalAws.</param>
    /// <param name="maxObjectMegabytes">The largest object or part, in MiB.</param>
    /// <param name="maxStorageMegabytes">All object versions and uploaded parts together, in MiB.</param>
    public static IResourceBuilder<LocalAwsResource> WithS3Limits(this IResourceBuilder<LocalAwsResource> builder, int maxObjectMegabytes, int maxStorageMegabytes)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxObjectMegabytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStorageMegabytes, maxObjectMegabytes);
        builder.Resource.S3MaxObjectMegabytes = maxObjectMegabytes;
        builder.Resource.S3MaxStorageMegabytes = maxStorageMegabytes;
        return builder;
    }

    /// <summary>
    /// Takes the emulated region from <paramref name="awsSdkConfig"/> and gives LocalAws's process the same
    /// configuration (<c>AWS_REGION</c>, <c>AWS_PROFILE</c>).
    /// </summary>
    /// <param name="builder">LocalAws.</param>
    /// <param name="awsSdkConfig">The AWS SDK configuration.</param>
    public static IResourceBuilder<LocalAwsResource> WithReference(this IResourceBuilder<LocalAwsResource> builder, IAWSSDKConfig awsSdkConfig)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(awsSdkConfig);
        builder.Resource.SdkConfig = awsSdkConfig;
        return SDKResourceExtensions.WithReference(builder, awsSdkConfig);
    }
}
