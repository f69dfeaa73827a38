using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Amazon.CloudFormation;
using Aspire.Hosting.AWS.Provisioning;
using Microsoft.Extensions.Logging.Testing;
using Tap.Aws.Hosting.Provisioning;
using Tap.LocalAws.Hosting;
using Tap.LocalAws.Hosting.Cdk;

namespace Tap.AWSSDK.CloudFormation.Tests;

/// <summary>
/// What the AppHost does before it deploys a synthesized stack into LocalAws, as the CDK CLI would: the CLI's own
/// bootstrap template deployed with <c>cdk bootstrap</c>'s parameters, then the stack's file assets published to the
/// bootstrap bucket over TLS, so a function whose code is an asset deploys.
/// </summary>
[Trait("Category", "Process")]
public sealed class CdkAssetTests(LocalAwsStacks localAws) : IClassFixture<LocalAwsStacks>, IDisposable
{
    private const string Account = "000000000000";
    private const string AssetHash = "5f1b2c0d0e7a9d3c1b2a4e6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3";
    private static readonly string Cli = typeof(CdkAssetTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CdkCli").Value!;

    private readonly string _assembly = Directory.CreateTempSubdirectory("cdk-assets-").FullName;
    private readonly FakeLogger _logger = new();

    [Fact]
    public async Task The_bootstrap_stack_and_a_published_asset_let_a_function_from_that_asset_deploy()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = localAws.Client();
        await BootstrapAsync(client, cancellationToken);
        var manifest = WriteAssembly();
        using var ca = await CaAsync(cancellationToken);

        await Publisher(ca).PublishAsync(manifest, _logger, cancellationToken);
        await Publisher(ca).PublishAsync(manifest, _logger, cancellationToken);

        var messages = _logger.Collector.GetSnapshot().Select(r => r.Message).ToList();
        Assert.Single(messages, m => m == $"Publishing CDK asset {AssetHash}.zip to s3://cdk-hnb659fds-assets-{Account}-us-east-1");
        Assert.Single(messages, m => m == $"CDK asset {AssetHash}.zip is already in s3://cdk-hnb659fds-assets-{Account}-us-east-1");
        var deployed = await new CloudFormationStackExecutor(client, new StackDeployment("asset-user", FunctionTemplate) { PollingInterval = TimeSpan.FromMilliseconds(200) },
            _logger, _ => Task.CompletedTask, TimeProvider.System).ExecuteAsync(cancellationToken);
        Assert.Equal(StackStatus.CREATE_COMPLETE, deployed.Stack.StackStatus);

        // What an AppHost project hosting this function starts with: the deployed configuration.
        var configuration = await LambdaConfigurationReader.GetAsync(localAws.Endpoint, LocalAwsStacks.Admin, "us-east-1", "asset-function", cancellationToken);
        Assert.Equal(("bootstrap", 512, "JSON"), (configuration.Handler, configuration.MemorySize, configuration.LogFormat));
        Assert.Equal(new Dictionary<string, string> { ["CONFIG_SECRET"] = "tap/example" }, configuration.Variables);
        var missing = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LambdaConfigurationReader.GetAsync(localAws.Endpoint, LocalAwsStacks.Admin, "us-east-1", "no-such-function", cancellationToken));
        Assert.Contains("has no deployed function no-such-function", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_image_asset_is_refused_before_anything_is_published()
    {
        var manifest = WriteAssembly();
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"dockerImages\": {}", "\"dockerImages\": { \"img\": { \"source\": { \"directory\": \"x\" }, \"destinations\": {} } }", StringComparison.Ordinal));
        using var ca = await CaAsync(TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<AWSProvisioningException>(() => Publisher(ca).PublishAsync(manifest, _logger, TestContext.Current.CancellationToken));

        Assert.Contains("container image assets are currently not supported", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_logger.Collector.GetSnapshot());
    }

    [Fact]
    public async Task A_server_whose_certificate_is_not_from_LocalAws_CA_is_not_sent_the_asset()
    {
        var manifest = WriteAssembly();
        using var key = System.Security.Cryptography.ECDsa.Create();
        using var stranger = new CertificateRequest("CN=stranger", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => Publisher(stranger).PublishAsync(manifest, _logger, TestContext.Current.CancellationToken));
    }

    public void Dispose() => Directory.Delete(_assembly, recursive: true);

    private static string FunctionTemplate => $$"""
        {
          "Resources": {
            "Role": { "Type": "AWS::IAM::Role", "Properties": { "AssumeRolePolicyDocument": { "Version": "2012-10-17",
              "Statement": [{ "Effect": "Allow", "Principal": { "Service": "lambda.amazonaws.com" }, "Action": "sts:AssumeRole" }] } } },
            "Function": { "Type": "AWS::Lambda::Function", "Properties": {
              "FunctionName": "asset-function", "Runtime": "provided.al2023", "Handler": "bootstrap", "Role": { "Fn::GetAtt": ["Role", "Arn"] },
              "MemorySize": 512, "LoggingConfig": { "LogFormat": "JSON" }, "Environment": { "Variables": { "CONFIG_SECRET": "tap/example" } },
              "Code": { "S3Bucket": { "Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}" }, "S3Key": "{{AssetHash}}.zip" } } }
          }
        }
        """;

    /// <summary>Deploys the CDK CLI's bootstrap template as <c>cdk bootstrap</c> would (once per LocalAws).</summary>
    private async Task BootstrapAsync(AmazonCloudFormationClient client, CancellationToken cancellationToken)
    {
        Assert.SkipUnless(File.Exists(Cli), "Missing tool: the CDK CLI (Infra/node_modules/.bin/cdk); install it with `npm ci --prefix Infra`.");
        var start = new ProcessStartInfo(Cli) { ArgumentList = { "bootstrap", "--show-template", "--json" }, WorkingDirectory = _assembly, RedirectStandardOutput = true };
        using var cli = Process.Start(start)!;
        var template = await cli.StandardOutput.ReadToEndAsync(cancellationToken);
        await cli.WaitForExitAsync(cancellationToken);
        Assert.Equal(0, cli.ExitCode);

        var bootstrap = await new CloudFormationStackExecutor(client, new StackDeployment(CdkBuilderExtensions.BootstrapStackName, template)
        {
            Parameters = CdkBuilderExtensions.BootstrapParameters,
            PollingInterval = TimeSpan.FromMilliseconds(200),
        }, _logger, _ => Task.CompletedTask, TimeProvider.System).ExecuteAsync(cancellationToken);
        Assert.True(bootstrap.Stack.StackStatus == StackStatus.CREATE_COMPLETE || bootstrap.Stack.StackStatus == StackStatus.UPDATE_COMPLETE, bootstrap.Stack.StackStatus?.Value);
        Assert.Equal($"cdk-hnb659fds-assets-{Account}-us-east-1", bootstrap.Stack.Outputs!.Single(o => o.OutputKey == "BucketName").OutputValue);
    }

    /// <summary>A cloud assembly as <c>cdk synth</c> writes one: a directory asset (a function's package) and its manifest.</summary>
    private string WriteAssembly()
    {
        var asset = Directory.CreateDirectory(Path.Combine(_assembly, $"asset.{AssetHash}")).FullName;
        File.WriteAllText(Path.Combine(asset, "bootstrap"), "#!/bin/sh\nexit 1\n");
        var manifest = Path.Combine(_assembly, "Stack.assets.json");
        File.WriteAllText(manifest, $$"""
            {
              "version": "48.0.0",
              "files": {
                "{{AssetHash}}": {
                  "displayName": "Function/Code",
                  "source": { "path": "asset.{{AssetHash}}", "packaging": "zip" },
                  "destinations": {
                    "current_account-current_region": {
                      "bucketName": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}",
                      "objectKey": "{{AssetHash}}.zip",
                      "assumeRoleArn": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-file-publishing-role-${AWS::AccountId}-${AWS::Region}"
                    }
                  }
                }
              },
              "dockerImages": {}
            }
            """);
        return manifest;
    }

    private CdkAssetPublisher Publisher(X509Certificate2 ca) =>
        new(localAws.HttpsEndpoint, ca, LocalAwsStacks.Admin, Account, "us-east-1");

    private async Task<X509Certificate2> CaAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        return X509Certificate2.CreateFromPem(await http.GetStringAsync(new Uri(localAws.Endpoint, "/_localaws/ca.pem"), cancellationToken));
    }
}
