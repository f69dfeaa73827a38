using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;

namespace Tap.Infra.Tests;

/// <summary>
/// What the CDK CLI does to a deployed TapStack and to a broken stack, in a deployment of their own: a second
/// <c>cdk deploy</c> with one changed setting is a change set that updates in place, <c>cdk destroy</c> leaves only
/// what is retained, and a stack whose role policy is malformed rolls back with CloudFormation's reason.
/// </summary>
[Trait("Category", "Process")]
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class CdkLifecycleTests(CdkDeployment deployment) : IClassFixture<CdkDeployment>
{
    [Fact]
    public async Task More_memory_is_an_update_in_place_and_destroy_removes_all_but_the_secret_and_the_bucket()
    {
        var before = await deployment.DeployAsync();
        using var first = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "lambda", "get-function-configuration", "--function-name", before["FunctionName"]));
        var changed = SynthesizedTemplate.CloudAssembly(Path.Combine(deployment.Scratch, "cdk.out.512"), FunctionPackage.Directory(deployment.Scratch + "/512"), functionMemory: 512);

        var diff = await deployment.CdkOkAsync("diff", "--app", changed, "--parameters", $"InvokerExternalId={CdkDeployment.ExternalId}");
        Assert.Matches(@"\[~\] MemorySize\s+├─ \[-\] 256\s+└─ \[\+\] 512", diff);
        Assert.DoesNotContain("requires replacement", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("may cause replacement", diff, StringComparison.Ordinal);
        var after = await deployment.DeployAsync(changed);

        using var updated = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "lambda", "get-function-configuration", "--function-name", after["FunctionName"]));
        Assert.Equal(512, updated.RootElement.GetProperty("MemorySize").GetInt32());
        Assert.Equal(first.RootElement.GetProperty("FunctionArn").GetString(), updated.RootElement.GetProperty("FunctionArn").GetString());
        Assert.NotEqual(first.RootElement.GetProperty("RevisionId").GetString(), updated.RootElement.GetProperty("RevisionId").GetString());
        Assert.Equal(before["ApiUrl"], after["ApiUrl"]);
        Assert.Equal(200, (await DeployedStackTests.CurlAsync(CdkDeployment.Invoker, after["ApiUrl"] + "/orders/42")).Status);
        using var events = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "cloudformation", "describe-stack-events", "--stack-name", CdkDeployment.StackName));
        Assert.DoesNotContain(events.RootElement.GetProperty("StackEvents").EnumerateArray(),
            e => e.GetProperty("ResourceType").GetString() == "AWS::Lambda::Function" && e.GetProperty("ResourceStatus").GetString() == "DELETE_COMPLETE");

        using var resources = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "cloudformation", "describe-stack-resources", "--stack-name", CdkDeployment.StackName));
        var physical = resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .ToLookup(r => r.GetProperty("ResourceType").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString()!);
        Assert.Contains("destroyed", await deployment.CdkOkAsync("destroy", "--app", changed, "--force"), StringComparison.Ordinal);

        using (var http = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(after["ApiUrl"] + "/"), TestContext.Current.CancellationToken));
        }

        var function = await Tap.Testing.AwsCliRunner.RunAsync(CdkDeployment.AwsCliV2, deployment.LocalAws.Endpoint, CdkDeployment.Admin, null, "lambda", "get-function", "--function-name", after["FunctionName"]);
        Assert.Contains("ResourceNotFoundException", function.Error, StringComparison.Ordinal);
        foreach (var role in physical["AWS::IAM::Role"])
        {
            var gone = await Tap.Testing.AwsCliRunner.RunAsync(CdkDeployment.AwsCliV2, deployment.LocalAws.Endpoint, CdkDeployment.Admin, null, "iam", "get-role", "--role-name", role);
            Assert.Contains("NoSuchEntity", gone.Error, StringComparison.Ordinal);
        }

        await deployment.AwsAsync(CdkDeployment.Admin, "secretsmanager", "describe-secret", "--secret-id", after["SecretArn"]);
        await deployment.AwsAsync(CdkDeployment.Admin, "s3api", "head-bucket", "--bucket", Assert.Single(physical["AWS::S3::Bucket"]));
    }

    [Fact]
    public async Task A_malformed_role_policy_rolls_the_stack_back_and_the_CLI_prints_CloudFormations_reason()
    {
        await deployment.BootstrapAsync();
        var app = new App(new AppProps { AnalyticsReporting = false, Outdir = Path.Combine(deployment.Scratch, "broken.out") });
        var stack = new Stack(app, "BrokenStack");
        var role = new Role(stack, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        _ = new CfnPolicy(stack, "Policy", new CfnPolicyProps
        {
            PolicyName = "broken",
            Roles = [role.RoleName],
            PolicyDocument = new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[] { new Dictionary<string, object> { ["Effect"] = "Maybe", ["Action"] = "s3:GetObject", ["Resource"] = "*" } },
            },
        });
        var assembly = app.Synth().Directory;

        var deploy = await deployment.CdkAsync("deploy", "--app", assembly, "--require-approval", "never");

        Assert.NotEqual(0, deploy.ExitCode);
        var printed = deploy.Output + deploy.Error;
        Assert.Contains("CREATE_FAILED", printed, StringComparison.Ordinal);
        using var events = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "cloudformation", "describe-stack-events", "--stack-name", "BrokenStack"));
        var reason = events.RootElement.GetProperty("StackEvents").EnumerateArray()
            .Single(e => e.GetProperty("ResourceStatus").GetString() == "CREATE_FAILED").GetProperty("ResourceStatusReason").GetString()!;
        Assert.Contains("Effect must be Allow or Deny", reason, StringComparison.Ordinal);
        Assert.Contains(reason, printed, StringComparison.Ordinal);
        using var described = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "cloudformation", "describe-stacks", "--stack-name", "BrokenStack"));
        Assert.Equal("ROLLBACK_COMPLETE", described.RootElement.GetProperty("Stacks")[0].GetProperty("StackStatus").GetString());
        using var roles = JsonDocument.Parse(await deployment.AwsAsync(CdkDeployment.Admin, "iam", "list-roles"));
        Assert.DoesNotContain(roles.RootElement.GetProperty("Roles").EnumerateArray(), r => r.GetProperty("RoleName").GetString()!.StartsWith("BrokenStack", StringComparison.Ordinal));
    }
}
