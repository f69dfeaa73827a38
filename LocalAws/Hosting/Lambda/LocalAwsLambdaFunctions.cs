using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// How LocalAws serves a Lambda function resource: its execution role, its Runtime API address, the role's
/// credentials through the container credentials endpoint, its processes registered as its only execution
/// environments, a health check on them, and a restart of a process that crashes, as Lambda replaces an execution
/// environment that dies.
/// </summary>
internal static class LocalAwsLambdaFunctions
{
    public static void Serve(IResourceBuilder<LocalAwsResource> localAws, IResourceBuilder<LambdaProjectResource> function)
    {
        var name = function.Resource.Name;
        var settings = new LocalAwsFunctionAnnotation(localAws.Resource, name, roleName: $"{name}-role");
        function.WithAnnotation(settings);
        var builder = function.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var endpoint = localAws.Resource.PrimaryEndpoint;
        function
            .WithParentRelationship(localAws)
            .WaitFor(localAws)
            .WithoutTieredPgo()
            .WithEnvironment(async context =>
            {
                var environment = context.EnvironmentVariables;
                var runtimeApi = localAws.Resource.RuntimeApiEndpoint;
                environment["AWS_LAMBDA_RUNTIME_API"] = ReferenceExpression.Create(
                    $"{runtimeApi.Property(EndpointProperty.Host)}:{runtimeApi.Property(EndpointProperty.Port)}/{settings.FunctionName}");
                environment["AWS_REGION"] = localAws.Resource.Region;
                environment["AWS_DEFAULT_REGION"] = localAws.Resource.Region;

                // The execution role's credentials, refreshed through LocalAws's container credentials endpoint as
                // the AWS SDKs' default chain does it (and never through instance metadata, which is not there).
                // A deployed function's processes ask for the role the function has now, which its stack decides.
                var credentialsPath = settings.IsDeployed
                    ? new LocalAwsHostedFunctionSettings(settings.FunctionName).CredentialsPath
                    : $"{LocalAwsPrincipalSettings.ContainerCredentialsPathPrefix}/{settings.RoleName}";
                environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ReferenceExpression.Create(
                    $"http://127.0.0.1:{endpoint.Property(EndpointProperty.Port)}{credentialsPath}");
                var tokenFile = localAws.Resource.CredentialFiles.TokenPath(settings.IsDeployed ? $"function-{settings.FunctionName}" : settings.RoleName);
                await localAws.Resource.CredentialFiles.WriteAsync(tokenFile, settings.CredentialsToken, context.CancellationToken).ConfigureAwait(false);
                environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile;
                environment["AWS_EC2_METADATA_DISABLED"] = "true";
            });

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LambdaEnvironmentRestarter>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LambdaEnvironmentRegistrar>());
        var healthCheckKey = $"{name}_lambda_environments";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new LambdaFunctionHealthCheck(
                localAws.Resource, function.Resource, settings, services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<ResourceNotificationService>()),
            failureStatus: null,
            tags: null));
        function.WithHealthCheck(healthCheckKey);
    }
}
