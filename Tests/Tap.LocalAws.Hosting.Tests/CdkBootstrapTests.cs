using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Tap.Aws.Hosting.Provisioning;

namespace Tap.LocalAws.Hosting.Tests;

public sealed class CdkBootstrapTests
{
    [Fact]
    public void The_bootstrap_stack_is_CDKToolkit_with_the_parameters_cdk_bootstrap_passes_and_provisioned_into_localaws()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);

        var bootstrap = localAws.AddCdkBootstrap("bootstrap.template.json");
        LocalAwsCloudFormation.Adopt(builder.Resources, localAws.Resource);

        var stack = Assert.IsAssignableFrom<ICloudFormationTemplateResource>(bootstrap.Resource);
        Assert.Equal("cdk-bootstrap", stack.Name);
        Assert.Equal("CDKToolkit", stack.StackName);
        Assert.Equal(Path.Combine(builder.AppHostDirectory, "bootstrap.template.json"), stack.TemplatePath);
        Assert.Equal(new Dictionary<string, string>
        {
            ["FileAssetsBucketKmsKeyId"] = "AWS_MANAGED_KEY",
            ["TrustedAccounts"] = "",
            ["TrustedAccountsForLookup"] = "",
            ["CloudFormationExecutionPolicies"] = "",
            ["PublicAccessBlockConfiguration"] = "true",
        }, ((CloudFormationTemplateResource)stack).CloudFormationParameters);
        Assert.Same(localAws.Resource, LocalAwsCloudFormation.ProvisionerOf(stack));
        Assert.Single(stack.Annotations.OfType<StackPreparationAnnotation>());
    }

    [Fact]
    public void Over_an_existing_bootstrap_stack_its_key_trust_and_execution_policies_are_kept_as_the_cli_keeps_them()
    {
        var kept = CdkBuilderExtensions.BootstrapParametersOver(new Dictionary<string, string>
        {
            ["FileAssetsBucketKmsKeyId"] = "arn:aws:kms:us-east-1:000000000000:key/1234",
            ["TrustedAccounts"] = "111111111111",
            ["CloudFormationExecutionPolicies"] = "arn:aws:iam::aws:policy/PowerUserAccess",
            ["PublicAccessBlockConfiguration"] = "false",
            ["Qualifier"] = "hnb659fds",
        });

        Assert.Equal(new Dictionary<string, string>
        {
            ["FileAssetsBucketKmsKeyId"] = "arn:aws:kms:us-east-1:000000000000:key/1234",
            ["TrustedAccounts"] = "111111111111",
            ["TrustedAccountsForLookup"] = "",
            ["CloudFormationExecutionPolicies"] = "arn:aws:iam::aws:policy/PowerUserAccess",
            ["PublicAccessBlockConfiguration"] = "true",
        }, kept);
        Assert.Equal(CdkBuilderExtensions.BootstrapParameters, CdkBuilderExtensions.BootstrapParametersOver(new Dictionary<string, string>()));
    }

    [Fact]
    public void The_bootstrap_stack_needs_localaws_to_reference_the_sdk_configuration()
    {
        var (_, localAws) = LocalAwsModel.Create();

        var refused = Assert.Throws<InvalidOperationException>(() => localAws.AddCdkBootstrap("bootstrap.template.json"));

        Assert.Contains("WithReference(awsConfig)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_with_cdk_assets_waits_for_the_bootstrap_stack_and_publishes_before_it_deploys()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);
        var bootstrap = localAws.AddCdkBootstrap("bootstrap.template.json");

        var stack = builder.AddAWSCloudFormationTemplate("app", "cdk.out/App.template.json", "App").WithReference(config)
            .WithCdkAssets("cdk.out/App.assets.json", bootstrap);

        Assert.Contains(stack.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == bootstrap.Resource);
        Assert.Single(stack.Resource.Annotations.OfType<StackPreparationAnnotation>());
    }

    [Fact]
    public async Task Assets_of_a_stack_not_provisioned_by_localaws_are_refused_with_a_reason()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);
        var bootstrap = localAws.AddCdkBootstrap("bootstrap.template.json");
        var elsewhere = builder.AddAWSCloudFormationTemplate("elsewhere", "t.json").WithReference(builder.AddAWSSDKConfig().WithRegion("eu-west-1"))
            .WithCdkAssets("t.assets.json", bootstrap);
        LocalAwsCloudFormation.Adopt(builder.Resources, localAws.Resource);

        var preparation = Assert.Single(elsewhere.Resource.Annotations.OfType<StackPreparationAnnotation>());
        var refused = await Assert.ThrowsAsync<Aspire.Hosting.AWS.Provisioning.AWSProvisioningException>(
            () => preparation.Prepare(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, TestContext.Current.CancellationToken));

        Assert.Contains("published into LocalAws only", refused.Message, StringComparison.Ordinal);
    }
}
