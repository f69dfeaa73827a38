using Amazon.CloudFormation;
using Amazon.CloudFormation.Model;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Tap.Aws.Hosting.Provisioning;
using Tap.Tests.Shared;

namespace Tap.Aws.Hosting.Tests;

public sealed class AddAWSCloudFormationTemplateTests
{
    [Fact]
    public void A_template_resource_names_its_stack_after_itself_and_resolves_its_path_from_the_apphost()
    {
        var builder = DistributedApplication.CreateBuilder();

        var stack = builder.AddAWSCloudFormationTemplate("orders", "templates/orders.json");
        var named = builder.AddAWSCloudFormationTemplate("billing", "/abs/billing.yaml", stackName: "Billing");

        Assert.Equal("orders", stack.Resource.StackName);
        Assert.Equal(Path.Combine(builder.AppHostDirectory, "templates", "orders.json"), stack.Resource.TemplatePath);
        Assert.Equal("Billing", named.Resource.StackName);
        Assert.Equal("/abs/billing.yaml", named.Resource.TemplatePath);
        Assert.Equal(3, stack.Resource.StackPollingInterval);
        Assert.False(stack.Resource.DisableDiffCheck);
        Assert.Null(stack.Resource.Outputs);
    }

    [Theory]
    [InlineData(null, "t.json")]
    [InlineData("stack", " ")]
    public void Name_and_template_are_required(string? name, string templatePath)
    {
        var builder = DistributedApplication.CreateBuilder();

        Assert.ThrowsAny<ArgumentException>(() => builder.AddAWSCloudFormationTemplate(name!, templatePath));
    }

    [Fact]
    public void Parameters_and_tags_are_kept_for_the_change_set()
    {
        var builder = DistributedApplication.CreateBuilder();

        var stack = builder.AddAWSCloudFormationTemplate("orders", "t.json").WithParameter("Stage", "prod").WithParameter("Stage", "dev");
        ((IResourceBuilder<ICloudFormationResource>)stack).WithTag("team", "payments");

        Assert.Equal("dev", ((CloudFormationTemplateResource)stack.Resource).CloudFormationParameters["Stage"]);
        Assert.Equal("payments", stack.Resource.Tags["team"]);
    }

    [Fact]
    public void The_sdk_configuration_or_a_client_says_where_the_stack_is_provisioned()
    {
        var builder = DistributedApplication.CreateBuilder();
        var config = builder.AddAWSSDKConfig().WithRegion("eu-west-1");
        using var client = new AmazonCloudFormationClient(new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonCloudFormationConfig { RegionEndpoint = Amazon.RegionEndpoint.EUWest1 });

        var stack = builder.AddAWSCloudFormationTemplate("orders", "t.json").WithReference(config).WithReference(client);

        Assert.Same(config, stack.Resource.AWSSDKConfig);
        Assert.Same(client, stack.Resource.CloudFormationClient);
    }

    [Fact]
    public async Task A_referencing_resource_waits_for_the_stack_and_gets_every_output_as_configuration()
    {
        var builder = DistributedApplication.CreateBuilder();
        var stack = builder.AddAWSCloudFormationTemplate("orders", "t.json");
        var project = builder.AddProject<ResourceConfiguration.TestProject>("api", options => options.ExcludeLaunchProfile = true)
            .WithReference((IResourceBuilder<ICloudFormationResource>)stack)
            .WithReference((IResourceBuilder<ICloudFormationResource>)stack, "Orders:Stack");
        ((CloudFormationTemplateResource)stack.Resource).Outputs = [new Output { OutputKey = "QueueUrl", OutputValue = "http://localhost/q" }];

        var environment = await builder.EnvironmentAsync(project.Resource);

        Assert.Equal("http://localhost/q", environment["AWS__Resources__QueueUrl"]);
        Assert.Equal("http://localhost/q", environment["Orders__Stack__QueueUrl"]);
        Assert.Contains(project.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == stack.Resource);
        Assert.Single(stack.Resource.Annotations.OfType<CloudFormationReferenceAnnotation>(), r => r.TargetResource == "api");
    }

    [Fact]
    public async Task An_output_reference_resolves_once_provisioning_completes()
    {
        var builder = DistributedApplication.CreateBuilder();
        var stack = builder.AddAWSCloudFormationTemplate("orders", "t.json");
        var output = ((IResourceBuilder<ICloudFormationResource>)stack).GetOutput("QueueUrl");
        var project = builder.AddProject<ResourceConfiguration.TestProject>("api", options => options.ExcludeLaunchProfile = true).WithEnvironment("QUEUE_URL", output);
        var resource = (CloudFormationTemplateResource)stack.Resource;
        resource.ProvisioningTaskCompletionSource = new TaskCompletionSource();

        var pending = builder.EnvironmentAsync(project.Resource);
        Assert.False(pending.IsCompleted);
        resource.Outputs = [new Output { OutputKey = "QueueUrl", OutputValue = "http://localhost/q" }];
        resource.ProvisioningTaskCompletionSource.SetResult();

        Assert.Equal("http://localhost/q", (await pending)["QUEUE_URL"]);
        Assert.Equal("{orders.output.QueueUrl}", output.ValueExpression);
        Assert.Throws<InvalidOperationException>(() => ((IResourceBuilder<ICloudFormationResource>)stack).GetOutput("Missing").Value);
    }

    [Fact]
    public void The_template_hash_covers_the_template_parameters_and_tags_but_not_its_own_tag_or_their_order()
    {
        var deployment = new StackDeployment("orders", "{}")
        {
            Parameters = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" },
            Tags = new Dictionary<string, string> { ["team"] = "payments" },
        };

        Assert.Matches("^[0-9a-f]{64}$", deployment.TemplateHash);
        Assert.Equal(deployment.TemplateHash, (deployment with { Parameters = new Dictionary<string, string> { ["B"] = "2", ["A"] = "1" } }).TemplateHash);
        Assert.Equal(deployment.TemplateHash, (deployment with
        {
            Tags = new Dictionary<string, string> { ["team"] = "payments", [StackDeployment.TemplateHashTag] = "old" },
        }).TemplateHash);
        Assert.NotEqual(deployment.TemplateHash, (deployment with { Template = "{ }" }).TemplateHash);
        Assert.NotEqual(deployment.TemplateHash, (deployment with { Parameters = new Dictionary<string, string> { ["A"] = "1", ["B"] = "3" } }).TemplateHash);
        Assert.NotEqual(deployment.TemplateHash, (deployment with { Tags = new Dictionary<string, string> { ["team"] = "billing" } }).TemplateHash);
    }

    [Fact]
    public void Every_capability_is_granted_but_those_disabled()
    {
        var deployment = new StackDeployment("orders", "{}") { DisabledCapabilities = ["capability_named_iam"] };

        Assert.Equal(["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"], deployment.Capabilities);
    }
}
