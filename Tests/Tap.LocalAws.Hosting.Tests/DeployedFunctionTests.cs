using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

/// <summary>A function project that hosts a function a stack deploys, rather than being a function of its own.</summary>
public sealed class DeployedFunctionTests
{
    [Fact]
    public async Task Its_processes_are_the_hosted_environments_of_the_deployed_function_with_no_role_of_their_own()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var config = builder.AddAWSSDKConfig().WithRegion("us-east-1");
        localAws.WithReference(config);
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json", "App").WithReference(config);

        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("api-handler", "bootstrap")
            .AsDeployedFunction(stack, "api-handler-local");
        var settings = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        var hosted = Assert.Single(settings.HostedFunctions);
        Assert.Equal("api-handler-local", hosted.Name);
        Assert.Equal(LocalAwsLambdaBuilderExtensions.Settings(function).CredentialsToken, hosted.CredentialsToken);
        Assert.Empty(settings.Functions);
        Assert.DoesNotContain(settings.Principals, p => p.Name == "api-handler-role");
        Assert.Contains(function.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == stack.Resource);
        Assert.Contains(function.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == stack.Resource && r.Type == "Deployed by");
        Assert.Equal("api-handler", function.Resource.Name);
    }

    [Fact]
    public void A_function_with_grants_of_its_own_cannot_host_a_deployed_one_nor_be_granted_a_secret_once_it_does()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");
        var secret = localAws.AddSecretsManagerSecret("config", "app/config", ["KEY"]);
        var granted = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("granted", "bootstrap")
            .WithReference(secret, "SECRET_ID", ["secretsmanager:GetSecretValue"]);
        var deployed = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("deployed", "bootstrap").AsDeployedFunction(stack, "deployed-local");

        Assert.Contains("has grants of its own", Assert.Throws<InvalidOperationException>(() => granted.AsDeployedFunction(stack, "granted-local")).Message, StringComparison.Ordinal);
        Assert.Contains("the stack's role and grants", Assert.Throws<InvalidOperationException>(
            () => deployed.WithReference(secret, "SECRET_ID", ["secretsmanager:GetSecretValue"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_function_served_by_localaws_can_host_a_deployed_one()
    {
        var builder = DistributedApplication.CreateBuilder();
        var project = builder.AddResource(new Aspire.Hosting.AWS.Lambda.LambdaProjectResource("loose"));
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");

        var refused = Assert.Throws<InvalidOperationException>(() => project.AsDeployedFunction(stack, "fn"));

        Assert.Contains("not a Lambda function served by LocalAws", refused.Message, StringComparison.Ordinal);
    }
}
