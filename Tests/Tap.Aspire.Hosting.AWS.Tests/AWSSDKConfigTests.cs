using Amazon;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Tap.Tests.Shared;

namespace Tap.Aws.Hosting.Tests;

public sealed class AWSSDKConfigTests
{
    [Fact]
    public async Task A_reference_gives_the_resource_the_region_and_profile()
    {
        var builder = DistributedApplication.CreateBuilder();
        var config = builder.AddAWSSDKConfig().WithRegion(RegionEndpoint.EUWest1).WithProfile("dev");

        var project = builder.AddResource(new ProjectResource("app")).WithAnnotation(new ResourceConfiguration.TestProject()).WithReference(config);

        var environment = await builder.EnvironmentAsync(project.Resource);
        Assert.Equal("eu-west-1", environment["AWS_REGION"]);
        Assert.Equal("dev", environment["AWS_PROFILE"]);
    }

    [Fact]
    public async Task An_empty_configuration_sets_nothing()
    {
        var builder = DistributedApplication.CreateBuilder();

        var project = builder.AddResource(new ProjectResource("app")).WithAnnotation(new ResourceConfiguration.TestProject()).WithReference(builder.AddAWSSDKConfig());

        var environment = await builder.EnvironmentAsync(project.Resource);
        Assert.DoesNotContain("AWS_REGION", environment.Keys);
        Assert.DoesNotContain("AWS_PROFILE", environment.Keys);
    }

    [Fact]
    public void Region_and_profile_are_required_values()
    {
        var config = DistributedApplication.CreateBuilder().AddAWSSDKConfig();

        Assert.ThrowsAny<ArgumentException>(() => config.WithProfile(" "));
        Assert.ThrowsAny<ArgumentException>(() => config.WithRegion(string.Empty));
        Assert.Throws<ArgumentNullException>(() => config.WithRegion((RegionEndpoint)null!));
    }
}
