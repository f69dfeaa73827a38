using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.Lambda;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

/// <summary>The HTTP API, the secret and the user that come from a stack LocalAws deploys, rather than from the AppHost.</summary>
public sealed class DeployedApiAndSecretTests
{
    [Fact]
    public async Task A_deployed_http_api_is_served_on_its_resources_port_after_the_stack_with_the_stacks_url()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");

        var api = builder.AddAWSAPIGatewayEmulator("serverless-http-api", APIGatewayType.HttpV2).AsDeployedHttpApi(stack, "ApiUrl");
        var settings = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        Assert.Equal([new("serverless-http-api", 4000)], settings.ApiPorts);
        Assert.Empty(settings.HttpApis);
        Assert.Contains(api.Resource.Annotations.OfType<WaitAnnotation>(), w => w.Resource == stack.Resource);
        Assert.Contains(api.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == stack.Resource && r.Type == "Deployed by");
        Assert.Throws<InvalidOperationException>(() => api.Resource.GetStageUrl()); // the stack's output, once it is up
    }

    [Fact]
    public void An_api_with_routes_of_its_own_cannot_be_a_deployed_one()
    {
        var (builder, _) = LocalAwsModel.Create();
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");
        var function = builder.AddAWSLambdaFunction<ResourceConfiguration.TestProject>("fn", "bootstrap");
        var api = builder.AddAWSAPIGatewayEmulator("api", APIGatewayType.HttpV2).WithReference(function, Method.Any, "/");

        var refused = Assert.Throws<InvalidOperationException>(() => api.AsDeployedHttpApi(stack, "ApiUrl"));

        Assert.Contains("routes of its own", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_deployed_secret_is_known_by_its_stack_output_and_shown_under_localaws()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");

        var secret = localAws.AddSecretsManagerSecret("api-config", stack.GetOutput("SecretArn"));

        Assert.Equal(("SecretArn", stack.Resource), (secret.Resource.DeployedBy?.Name, secret.Resource.DeployedBy?.Resource));
        Assert.Same(localAws.Resource, secret.Resource.Parent);
        Assert.Empty(secret.Resource.Keys); // read from the deployed secret
        Assert.Contains(secret.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == stack.Resource && r.Type == "Deployed by");
        Assert.Contains(secret.Resource.Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == SecretsManagerSecretBuilderExtensions.RotateCommandName);
    }

    [Fact]
    public void A_deployed_secret_can_name_the_one_it_supersedes_and_a_secret_of_the_apphosts_cannot()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var stack = builder.AddAWSCloudFormationTemplate("app", "App.template.json");
        var own = localAws.AddSecretsManagerSecret("own", "app/own", ["KEY"]);

        var deployed = localAws.AddSecretsManagerSecret("api-config", stack.GetOutput("SecretArn")).WithSupersededSecret("app/config");

        Assert.Equal("app/config", deployed.Resource.SupersededSecretName);
        Assert.Throws<InvalidOperationException>(() => own.WithSupersededSecret("app/earlier"));
    }

    [Fact]
    public async Task A_user_can_hold_a_stacks_managed_policy_by_arn()
    {
        var (builder, localAws) = LocalAwsModel.Create();
        var policy = localAws.Resource.IamArn("policy/api-invoke-policy-local");

        localAws.WithIamUser("invoker", AwsAccessKeyParameters.Add(builder, "invoker"), [policy]);
        var settings = await LocalAwsModel.SettingsAsync(builder, localAws.Resource);

        var user = Assert.Single(settings.Principals, p => p.Name == "invoker");
        Assert.Equal([policy], user.ManagedPolicyArns);
        Assert.Empty(user.Policies);
        Assert.NotNull(user.AccessKeyId);
    }
}
