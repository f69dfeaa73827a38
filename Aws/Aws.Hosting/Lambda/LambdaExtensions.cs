using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Tap.Aws.Hosting;
using Tap.LocalAws.Configuration;

namespace Aspire.Hosting;

/// <summary>Adds Lambda functions, served by LocalAws's Lambda service, as Aspire resources.</summary>
public static class LambdaExtensions
{
    /// <summary>
    /// Adds a .NET project as a Lambda function. In run mode its processes get Lambda's environment
    /// (<c>AWS_LAMBDA_RUNTIME_API</c> = <c>{LocalAws host:port}/{name}</c>, the function's name, memory, version, log
    /// format and level, region and handler) and poll LocalAws's Runtime API; it is healthy while LocalAws sees an
    /// execution environment of it. <c>WithReplicas(n)</c> gives it n environments; a process that crashes is started
    /// again, as Lambda replaces an execution environment that dies. Add LocalAws first.
    /// </summary>
    /// <typeparam name="TLambdaProject">The project (<c>Projects.*</c>).</typeparam>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name, which is also the function's name.</param>
    /// <param name="lambdaHandler">The handler; <c>bootstrap</c> for a custom runtime.</param>
    /// <param name="options">Log format and level.</param>
    public static IResourceBuilder<LambdaProjectResource> AddAWSLambdaFunction<TLambdaProject>(
        this IDistributedApplicationBuilder builder, string name, string lambdaHandler, LambdaFunctionOptions? options = null)
        where TLambdaProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(lambdaHandler);
        options ??= new LambdaFunctionOptions();

        var localAws = LocalAwsBuilderExtensions.Find(builder);
        var settings = new LocalAwsFunctionAnnotation(localAws.Resource, roleName: $"{name}-role", options.LogFormat.Value);
        var function = builder.AddResource(new LambdaProjectResource(name))
            .WithAnnotation(new TLambdaProject())
            .WithAnnotation(new LambdaFunctionAnnotation(lambdaHandler))
            .WithAnnotation(settings);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return function;
        }

        var endpoint = localAws.Resource.PrimaryEndpoint;
        function
            .WithParentRelationship(localAws)
            .WaitFor(localAws)
            .WithOtlpExporter()
            .WithEnvironment(async context =>
            {
                var environment = context.EnvironmentVariables;
                var runtimeApi = localAws.Resource.RuntimeApiEndpoint;
                environment["AWS_LAMBDA_RUNTIME_API"] = ReferenceExpression.Create(
                    $"{runtimeApi.Property(EndpointProperty.Host)}:{runtimeApi.Property(EndpointProperty.Port)}/{name}");
                environment["AWS_LAMBDA_FUNCTION_NAME"] = name;
                environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
                environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = (settings.MemorySize ?? 128).ToString(CultureInfo.InvariantCulture);
                environment["AWS_LAMBDA_LOG_FORMAT"] = options.LogFormat.Value;
                environment["AWS_LAMBDA_LOG_LEVEL"] = options.ApplicationLogLevel.Value;
                environment["AWS_REGION"] = localAws.Resource.Region;
                environment["AWS_DEFAULT_REGION"] = localAws.Resource.Region;
                environment["_HANDLER"] = lambdaHandler;

                // The execution role's credentials, refreshed through LocalAws's container credentials endpoint as
                // the AWS SDKs' default chain does it (and never through instance metadata, which is not there).
                environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = ReferenceExpression.Create(
                    $"http://127.0.0.1:{endpoint.Property(EndpointProperty.Port)}{LocalAwsPrincipalSettings.ContainerCredentialsPathPrefix}/{settings.RoleName}");
                var tokenFile = localAws.Resource.CredentialFiles.TokenPath(settings.RoleName);
                await localAws.Resource.CredentialFiles.WriteAsync(tokenFile, settings.CredentialsToken, context.CancellationToken).ConfigureAwait(false);
                environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile;
                environment["AWS_EC2_METADATA_DISABLED"] = "true";
            });

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, LambdaEnvironmentRestarter>());
        var healthCheckKey = $"{name}_lambda_environments";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey,
            services => new LambdaFunctionHealthCheck(
                localAws.Resource, function.Resource, services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<ResourceNotificationService>()),
            failureStatus: null,
            tags: null));
        return function.WithHealthCheck(healthCheckKey);
    }
}
