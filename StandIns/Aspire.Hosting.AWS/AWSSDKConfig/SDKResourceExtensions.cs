using Amazon;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS;

namespace Aspire.Hosting;

/// <summary>Configures the AWS SDK for .NET of the resources that reference it.</summary>
public static class SDKResourceExtensions
{
    /// <summary>Adds a configuration of region and credential profile for the AWS SDK for .NET.</summary>
    /// <param name="builder">The application builder.</param>
    public static IAWSSDKConfig AddAWSSDKConfig(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return new AWSSDKConfig();
    }

    /// <summary>Uses a named AWS credential profile.</summary>
    public static IAWSSDKConfig WithProfile(this IAWSSDKConfig config, string profile)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        config.Profile = profile;
        return config;
    }

    /// <summary>Uses a region.</summary>
    public static IAWSSDKConfig WithRegion(this IAWSSDKConfig config, RegionEndpoint region)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(region);
        config.Region = region;
        return config;
    }

    /// <summary>Uses a region by its system name, e.g. <c>us-west-2</c>.</summary>
    public static IAWSSDKConfig WithRegion(this IAWSSDKConfig config, string systemName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(systemName);
        return config.WithRegion(RegionEndpoint.GetBySystemName(systemName));
    }

    /// <summary>
    /// Gives the resource the configuration: <c>AWS_PROFILE</c> and <c>AWS_REGION</c>, which every AWS SDK reads
    /// (run mode only: a deployed resource gets its region and credentials from where it runs).
    /// </summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IAWSSDKConfig awsSdkConfig)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(awsSdkConfig);
        builder.WithAnnotation(new SDKResourceAnnotation(awsSdkConfig));
        return builder.WithEnvironment(context =>
        {
            if (context.ExecutionContext.IsPublishMode)
            {
                return;
            }

            if (awsSdkConfig.Profile is { Length: > 0 } profile)
            {
                context.EnvironmentVariables["AWS_PROFILE"] = profile;
            }

            if (awsSdkConfig.Region is { } region)
            {
                context.EnvironmentVariables["AWS_REGION"] = region.SystemName;
            }
        });
    }
}
