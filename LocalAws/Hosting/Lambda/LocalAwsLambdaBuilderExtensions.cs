using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.LocalAws.Hosting;

/// <summary>A Lambda function's settings in LocalAws's IAM.</summary>
public static class LocalAwsLambdaBuilderExtensions
{
    /// <summary>Names the function's execution role (<c>{name}-role</c> by default).</summary>
    public static IResourceBuilder<LambdaProjectResource> WithExecutionRole(this IResourceBuilder<LambdaProjectResource> builder, string roleName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        Settings(builder).RoleName = roleName;
        return builder;
    }

    /// <summary>
    /// Makes the function's processes the execution environments of <paramref name="functionName"/>, a function
    /// <paramref name="stack"/> deploys into LocalAws, instead of a function of their own: LocalAws never launches
    /// the deployed function's code but runs it in these processes, which start once the stack is deployed, with the
    /// deployed function's environment variables, memory, handler and log format, and the credentials of the role
    /// it has. The resource stays a project: debuggable, in the dashboard, with replicas.
    /// </summary>
    public static IResourceBuilder<LambdaProjectResource> AsDeployedFunction(
        this IResourceBuilder<LambdaProjectResource> builder, IResourceBuilder<ICloudFormationTemplateResource> stack, string functionName)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        var settings = Settings(builder);
        if (settings.RolePolicies.Count > 0)
        {
            throw new InvalidOperationException($"{builder.Resource.Name} has grants of its own; a function a stack deploys has the stack's role and grants.");
        }

        settings.FunctionName = functionName;
        settings.IsDeployed = true;
        builder.WithRelationship(stack.Resource, "Deployed by");
        if (!builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return builder;
        }

        return builder.WaitFor(stack).WithEnvironment(async context =>
        {
            var localAws = settings.LocalAws;
            var deployed = await LambdaConfigurationReader.GetAsync(new Uri(localAws.PrimaryEndpoint.Url),
                await localAws.GetAdminCredentialsAsync(context.CancellationToken).ConfigureAwait(false), localAws.Region, functionName, context.CancellationToken).ConfigureAwait(false);
            var environment = context.EnvironmentVariables;
            foreach (var (name, value) in deployed.Variables)
            {
                environment[name] = value;
            }

            environment["AWS_LAMBDA_FUNCTION_NAME"] = functionName;
            environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = deployed.MemorySize.ToString(CultureInfo.InvariantCulture);
            environment["AWS_LAMBDA_LOG_FORMAT"] = deployed.LogFormat;
            if (deployed.Handler is { } handler)
            {
                environment["_HANDLER"] = handler;
            }

            // As LocalAws gives the functions it launches: their AWS SDK calls go to LocalAws.
            environment["AWS_ENDPOINT_URL"] = settings.LocalAws.PrimaryEndpoint;
        });
    }

    internal static LocalAwsFunctionAnnotation Settings(IResourceBuilder<LambdaProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Resource.Annotations.OfType<LocalAwsFunctionAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"Resource {builder.Resource.Name} is not a Lambda function served by LocalAws (add it with AddAWSLambdaFunction after AddLocalAws).");
    }
}
