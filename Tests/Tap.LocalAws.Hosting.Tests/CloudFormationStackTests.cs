using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Tap.LocalAws.Hosting.Tests;

public sealed class CloudFormationStackTests
{
    [Fact]
    public void A_stack_provisioned_with_localaws_sdk_configuration_waits_for_localaws_and_shows_under_it()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);
        var local = builder.AddAWSCloudFormationTemplate("local", "t.json").WithReference(config);
        var elsewhere = builder.AddAWSCloudFormationTemplate("elsewhere", "t.json").WithReference(builder.AddAWSSDKConfig().WithRegion("eu-west-1"));

        Starting(builder, localAws.Resource);

        Assert.Contains(local.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == localAws.Resource && w.WaitType == WaitType.WaitUntilHealthy);
        Assert.Contains(local.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == localAws.Resource && r.Type == "Parent");
        Assert.Equal(1, local.Resource.StackPollingInterval);
        Assert.Empty(elsewhere.Resource.Annotations.OfType<WaitAnnotation>());
        Assert.Equal(3, elsewhere.Resource.StackPollingInterval);
    }

    [Fact]
    public void A_stack_with_a_client_of_its_own_is_left_where_that_client_points()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);
        using var client = new Amazon.CloudFormation.AmazonCloudFormationClient(
            new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"), new Amazon.CloudFormation.AmazonCloudFormationConfig { RegionEndpoint = Amazon.RegionEndpoint.USEast1 });
        var stack = builder.AddAWSCloudFormationTemplate("own", "t.json").WithReference(config).WithReference(client);

        Starting(builder, localAws.Resource);

        Assert.Same(client, stack.Resource.CloudFormationClient);
        Assert.Empty(stack.Resource.Annotations.OfType<WaitAnnotation>());
    }

    /// <summary>What LocalAws does to the model as the app starts, before any resource does.</summary>
    private static void Starting(IDistributedApplicationBuilder builder, LocalAwsResource localAws) => LocalAwsCloudFormation.Adopt(builder.Resources, localAws);
}
