using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;

namespace Tap.Aws.Hosting;

/// <summary>Lambda function settings the official hosting package has no calls for.</summary>
public static class LambdaFunctionBuilderExtensions
{
    /// <summary>The function's memory in MB, 128–10240 (Lambda's default 128).</summary>
    public static IResourceBuilder<LambdaProjectResource> WithMemorySize(this IResourceBuilder<LambdaProjectResource> builder, int memorySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memorySize, 128);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memorySize, 10240);
        Configuration(builder).MemorySize = memorySize;
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

        Configuration(builder).Timeout = timeout;
        return builder;
    }

    /// <summary>The function's configuration, which <c>AddAWSLambdaFunction</c> attached.</summary>
    public static LambdaFunctionAnnotation GetLambdaConfiguration(this LambdaProjectResource function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return function.Annotations.OfType<LambdaFunctionAnnotation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"Resource {function.Name} was not added with AddAWSLambdaFunction.");
    }

    private static LambdaFunctionAnnotation Configuration(IResourceBuilder<LambdaProjectResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Resource.GetLambdaConfiguration();
    }
}
