using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.Aws.Hosting;

/// <summary>Tap's settings of a Lambda function that the official hosting package has no calls for.</summary>
public static class LambdaFunctionBuilderExtensions
{
    /// <summary>Names the function's execution role (<c>{name}-role</c> by default).</summary>
    public static IResourceBuilder<LambdaProjectResource> WithExecutionRole(this IResourceBuilder<LambdaProjectResource> builder, string roleName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(roleName);
        Settings(builder).RoleName = roleName;
        return builder;
    }

    /// <summary>The function's memory in MB, 128–10240 (Lambda's default 128).</summary>
    public static IResourceBuilder<LambdaProjectResource> WithMemorySize(this IResourceBuilder<LambdaProjectResource> builder, int memorySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memorySize, 128);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memorySize, 10240);
        Settings(builder).MemorySize = memorySize;
        return builder;
    }

    /// <summary>The invocation timeout, 1 s–15 min in whole seconds (Lambda's default 3 s).</summary>
    public static IResourceBuilder<LambdaProjectResource> WithTimeout(this IResourceBuilder<LambdaProjectResource> builder, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.FromSeconds(1));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, TimeSpan.FromMinutes(15));
        if (timeout.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentException("Lambda timeouts are whole seconds.", nameof(timeout));
        }

        Settings(builder).Timeout = timeout;
        return builder;
    }

    internal static LocalAwsFunctionAnnotation Settings(IResourceBuilder<LambdaProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Resource.Annotations.OfType<LocalAwsFunctionAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"Resource {builder.Resource.Name} was not added with AddAWSLambdaFunction.");
    }
}
