using Aspire.Hosting.ApplicationModel;
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

    internal static LocalAwsFunctionAnnotation Settings(IResourceBuilder<LambdaProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Resource.Annotations.OfType<LocalAwsFunctionAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"Resource {builder.Resource.Name} is not a Lambda function served by LocalAws (add it with AddAWSLambdaFunction after AddLocalAws).");
    }
}
