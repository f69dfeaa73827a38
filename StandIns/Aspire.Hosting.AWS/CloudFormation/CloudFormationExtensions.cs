using Amazon.CloudFormation;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS;
using Aspire.Hosting.AWS.CloudFormation;
using Tap.Aws.Hosting.Provisioning;

namespace Aspire.Hosting;

/// <summary>CloudFormation stacks the AppHost provisions, and how other resources take their outputs.</summary>
public static class CloudFormationExtensions
{
    /// <summary>
    /// Adds a stack created or updated from <paramref name="templatePath"/> through a change set when the app starts
    /// (in run mode), unless its template, parameters and tags are those it was last provisioned with. The
    /// resource shows the stack's status, outputs and resources; its log is the stack's events.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="templatePath">The template file, relative to the AppHost's directory or absolute.</param>
    /// <param name="stackName">The stack's name; the resource name when unset.</param>
    public static IResourceBuilder<ICloudFormationTemplateResource> AddAWSCloudFormationTemplate(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string templatePath, string? stackName = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(templatePath);
        CloudFormationProvisioning.AddTo(builder);
        var resource = new CloudFormationTemplateResource(name, stackName ?? name, Path.GetFullPath(Path.Combine(builder.AppHostDirectory, templatePath)));
        return builder.AddResource<ICloudFormationTemplateResource>(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "CloudFormationTemplate",
                State = KnownResourceStates.NotStarted,
                Properties = [],
            })
            .ExcludeFromManifest();
    }

    /// <summary>Gives a template parameter a value.</summary>
    public static IResourceBuilder<ICloudFormationTemplateResource> WithParameter(
        this IResourceBuilder<ICloudFormationTemplateResource> builder, string parameterName, string parameterValue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Resource.AddParameter(parameterName, parameterValue);
        return builder;
    }

    /// <summary>Tags the stack.</summary>
    public static IResourceBuilder<ICloudFormationResource> WithTag(this IResourceBuilder<ICloudFormationResource> builder, string tagKey, string tagValue)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(tagKey);
        ArgumentNullException.ThrowIfNull(tagValue);
        builder.Resource.Tags[tagKey] = tagValue;
        return builder;
    }

    /// <summary>One of the stack's outputs, for <see cref="WithEnvironment{T}(IResourceBuilder{T}, string, StackOutputReference)"/>.</summary>
    public static StackOutputReference GetOutput(this IResourceBuilder<ICloudFormationResource> builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new StackOutputReference(name, builder.Resource);
    }

    /// <summary>Sets an environment variable to a stack output's value, once the stack is provisioned.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, StackOutputReference stackOutputReference)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(stackOutputReference);
        AddReference(stackOutputReference.Resource, builder.Resource);
        return builder.WithEnvironment(async context =>
        {
            context.EnvironmentVariables[name] = context.ExecutionContext.IsPublishMode
                ? stackOutputReference.ValueExpression
                : await stackOutputReference.GetValueAsync(context.CancellationToken).ConfigureAwait(false) ?? string.Empty;
        });
    }

    /// <summary>The region and profile the stack is provisioned with.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IAWSSDKConfig awsSdkConfig)
        where TDestination : ICloudFormationResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(awsSdkConfig);
        builder.Resource.AWSSDKConfig = awsSdkConfig;
        return builder;
    }

    /// <summary>The client the stack is provisioned with (its endpoint and credentials), in place of one made from the SDK configuration.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IAmazonCloudFormation cloudFormationClient)
        where TDestination : ICloudFormationResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cloudFormationClient);
        builder.Resource.CloudFormationClient = cloudFormationClient;
        return builder;
    }

    /// <summary>
    /// The resource waits for the stack and gets every output as configuration under <paramref name="configSection"/>:
    /// the environment variable <c>AWS__Resources__{OutputKey}</c> by default.
    /// </summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, IResourceBuilder<ICloudFormationResource> cloudFormationResourceBuilder, string configSection = "AWS:Resources")
        where TDestination : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cloudFormationResourceBuilder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configSection);
        var stack = cloudFormationResourceBuilder.Resource;
        AddReference(stack, builder.Resource);
        var prefix = configSection.Replace(":", "__", StringComparison.Ordinal);
        return builder.WaitFor(cloudFormationResourceBuilder).WithEnvironment(context =>
        {
            foreach (var output in context.ExecutionContext.IsPublishMode ? [] : stack.Outputs ?? [])
            {
                context.EnvironmentVariables[$"{prefix}__{output.OutputKey}"] = output.OutputValue ?? string.Empty;
            }
        });
    }

    private static void AddReference(ICloudFormationResource stack, IResource target)
    {
        if (!stack.Annotations.OfType<CloudFormationReferenceAnnotation>().Any(r => r.TargetResource == target.Name))
        {
            stack.Annotations.Add(new CloudFormationReferenceAnnotation(target.Name));
        }
    }
}
