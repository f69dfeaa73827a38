using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Lambda;
using Tap.LocalAws.Hosting;

namespace Tap.AppHost.Tests;

/// <summary>
/// What <c>AppHost.cs</c> declares, started not at all: LocalAws, TapStack and the CDK bootstrap stack it deploys into
/// it, and the resources that show what the stack deployed. Building the model synthesizes TapStack when Infra's
/// inputs changed and reads the CDK CLI's bootstrap template, so these run Infra and the CLI.
/// </summary>
[Trait("Category", "Process")]
public sealed class AppHostModelTests
{
    private const string Account = LocalAwsResource.DefaultAccountId;
    private const string FunctionName = "api-handler-local";

    [Fact]
    public async Task The_model_holds_localaws_the_two_stacks_and_what_tapstack_deploys()
    {
        await using var builder = await AppModel.CreateAsync();

        var localAws = builder.Single<LocalAwsResource>();
        var stack = builder.Named<ICloudFormationTemplateResource>("tap-stack");
        var bootstrap = builder.Named<ICloudFormationTemplateResource>("cdk-bootstrap");
        var secret = builder.Single<SecretsManagerSecretResource>();
        var function = builder.Single<LambdaProjectResource>();
        var api = builder.Single<APIGatewayEmulatorResource>();

        Assert.Equal(("TapStack", "CDKToolkit"), (stack.StackName, bootstrap.StackName));
        Assert.True(File.Exists(stack.TemplatePath), stack.TemplatePath);
        Assert.Contains(stack.Annotations.OfType<WaitAnnotation>(), w => w.Resource == bootstrap);
        Assert.Equal(("api-config", "SecretArn"), (secret.Name, secret.DeployedBy?.Name));
        Assert.Same(stack, secret.DeployedBy?.Resource);
        Assert.Same(localAws, secret.Parent);
        Assert.Equal(("api-handler", "serverless-http-api"), (function.Name, api.Name));
        Assert.Empty(function.Annotations.OfType<EndpointAnnotation>());
        Assert.All<IResource>([secret, function, api], deployed =>
            Assert.Contains(deployed.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == stack && r.Type == "Deployed by"));
        Assert.Contains(api.Annotations.OfType<WaitAnnotation>(), w => w.Resource == function);
        Assert.Contains(function.Annotations.OfType<WaitAnnotation>(), w => w.Resource == secret);
        Assert.Equal(["http", "https", "runtime-api", "serverless-http-api"], localAws.Annotations.OfType<EndpointAnnotation>().Select(e => e.Name));

        // LocalAws runs as the program the AppHost's build wrote, with no `dotnet run` (and its MSBuild evaluation) first.
        Assert.Equal(("dotnet", "Tap.LocalAws.dll"), (localAws.Command, Path.GetFileName(localAws.ProgramPath)));
        Assert.True(File.Exists(localAws.ProgramPath), localAws.ProgramPath);

        // LocalAws tells execution environments apart by the process at the far end of each Runtime API connection,
        // which a proxy would hide.
        Assert.False(localAws.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == LocalAwsResource.RuntimeApiEndpointName).IsProxied);
    }

    [Fact]
    public async Task Localaws_serves_the_stacks_api_on_its_port_and_hosts_the_stacks_function_in_the_project()
    {
        await using var builder = await AppModel.CreateAsync();

        var (environment, secretFile) = await builder.LocalAwsSettingsAsync(builder.Single<LocalAwsResource>());

        // No routes, stage, throttle or function settings of the AppHost's own: those are the stack's.
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("LocalAws__HttpApis__", StringComparison.Ordinal) || key.StartsWith("LocalAws__Functions__", StringComparison.Ordinal));
        Assert.Equal(("serverless-http-api", "4000"), (environment["LocalAws__ApiPorts__0__Name"], environment["LocalAws__ApiPorts__0__Port"]));
        Assert.Equal((FunctionName, "api-handler"), (environment["LocalAws__HostedFunctions__0__Name"], environment["LocalAws__HostedFunctions__0__ServiceName"]));
        Assert.Matches("^[0-9a-f]{32}$", secretFile["LocalAws__HostedFunctions__0__CredentialsToken"]);
    }

    [Fact]
    public async Task The_invoker_user_holds_the_stacks_invoke_policy_and_no_principal_has_grants_of_the_apphosts_own()
    {
        await using var builder = await AppModel.CreateAsync();
        var template = JsonNode.Parse(await File.ReadAllTextAsync(builder.Named<ICloudFormationTemplateResource>("tap-stack").TemplatePath, TestContext.Current.CancellationToken))!;
        var policy = template["Resources"]!.AsObject().Single(r => (string?)r.Value!["Type"] == "AWS::IAM::ManagedPolicy").Value!["Properties"]!;

        var principals = await PrincipalsAsync(builder);

        var user = principals["invoker"];
        Assert.Equal($"arn:aws:iam::{Account}:user/invoker", user["Arn"]);
        Assert.Matches("^AKIA[A-Z0-9]{16}$", user["AccessKeyId"]);
        Assert.Equal(40, user["SecretAccessKey"].Length);
        Assert.Equal($"arn:aws:iam::{Account}:policy/{policy["ManagedPolicyName"]}", user["ManagedPolicyArns__0"]);
        Assert.Equal("execute-api:Invoke", (string?)policy["PolicyDocument"]!["Statement"]![0]!["Action"]);
        Assert.Equal(["admin", "invoker"], principals.Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(user.Keys, key => key.StartsWith("Policies__", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("invoker-access-key-id")]
    [InlineData("invoker-secret-access-key")]
    [InlineData("localaws-admin-access-key-id")]
    [InlineData("localaws-admin-secret-access-key")]
    public async Task Credentials_are_secret_parameters(string name)
    {
        await using var builder = await AppModel.CreateAsync();

        Assert.True(builder.Named<ParameterResource>(name).Secret);
    }

    [Fact]
    public async Task Secret_keys_and_tokens_reach_localaws_in_an_owner_only_file_not_its_environment()
    {
        await using var builder = await AppModel.CreateAsync();

        var (environment, secretFile) = await builder.LocalAwsSettingsAsync(builder.Single<LocalAwsResource>());

        Assert.DoesNotContain(environment.Keys, key => key.EndsWith("SecretAccessKey", StringComparison.Ordinal) || key.EndsWith("Token", StringComparison.Ordinal));
        Assert.All(secretFile.Keys, key => Assert.True(key.EndsWith("__SecretAccessKey", StringComparison.Ordinal) || key.EndsWith("__CredentialsToken", StringComparison.Ordinal), key));
        Assert.Equal(2, secretFile.Keys.Count(key => key.EndsWith("__SecretAccessKey", StringComparison.Ordinal)));   // admin, invoker
        Assert.Equal(1, secretFile.Keys.Count(key => key.EndsWith("__CredentialsToken", StringComparison.Ordinal)));  // the hosted function's
    }

    /// <summary>Each principal's settings by name, e.g. <c>["invoker"]["ManagedPolicyArns__0"]</c>, from the environment and the secret file together.</summary>
    private static async Task<Dictionary<string, Dictionary<string, string>>> PrincipalsAsync(Aspire.Hosting.Testing.IDistributedApplicationTestingBuilder builder)
    {
        var (environment, secretFile) = await builder.LocalAwsSettingsAsync(builder.Single<LocalAwsResource>());
        const string prefix = "LocalAws__Principals__";
        return environment.Concat(secretFile).Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal))
            .GroupBy(e => e.Key[prefix.Length..].Split("__")[0])
            .Select(group => group.ToDictionary(e => e.Key[(prefix.Length + group.Key.Length + 2)..], e => e.Value, StringComparer.Ordinal))
            .ToDictionary(principal => principal["Name"], StringComparer.Ordinal);
    }
}
