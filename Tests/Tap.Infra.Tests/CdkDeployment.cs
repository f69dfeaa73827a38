using System.Reflection;
using System.Text.Json;
using Amazon.Runtime;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.Infra.Tests;

/// <summary>
/// TapStack deployed into a LocalAws of its own as into AWS, by the CDK CLI that <c>Infra/package.json</c> pins:
/// <c>cdk bootstrap</c>, then <c>cdk deploy --app</c> of the one cloud assembly these tests synthesize (with the
/// Function's real package), over HTTPS with LocalAws's CA as <c>AWS_CA_BUNDLE</c>, with a <c>HOME</c> of its own
/// (the CLI caches the account per access key there). Both happen on first use, so a test can first skip for a
/// missing tool.
/// </summary>
public sealed class CdkDeployment : IAsyncDisposable
{
    public const string Account = LocalAwsSettings.DefaultAccountId;
    public const string ExternalId = "deployed-stack-external-id";
    public const string StackName = "TapStack";
    public const string AwsCliV2 = "/usr/bin/aws";

    private static readonly string Cli = typeof(CdkDeployment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CdkCli").Value!;

    private readonly string _root = Directory.CreateTempSubdirectory("cdk-deployment-").FullName;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _bootstrapped;
    private IReadOnlyDictionary<string, string>? _outputs;

    // Each fixture takes the jsii settings the one synthesized template sets up first.
    public CdkDeployment(SynthesizedTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        LocalAws = new LocalAwsProcess(Admin, Principals(), durable: true, https: true);
    }

    public static ImmutableCredentials Admin { get; } = TestCredentials.New();

    public static ImmutableCredentials Invoker { get; } = TestCredentials.New();

    public static ImmutableCredentials Outsider { get; } = TestCredentials.New();

    public LocalAwsProcess LocalAws { get; }

    /// <summary>A directory of the deployment's own for a test's files (another synth, say).</summary>
    public string Scratch => _root;

    /// <summary>LocalAws started and the environment bootstrapped by <c>cdk bootstrap</c>.</summary>
    public async Task BootstrapAsync()
    {
        Assert.SkipUnless(File.Exists(Cli), "Missing tool: the CDK CLI (Infra/node_modules/.bin/cdk); install it with `npm ci --prefix Infra`.");
        Assert.SkipUnless(File.Exists(AwsCliV2), "Missing tool: the AWS CLI v2 (/usr/bin/aws); install it with `apt-get install awscli`.");
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_bootstrapped)
            {
                await LocalAws.StartAsync();
                await CdkOkAsync("bootstrap", $"aws://{Account}/us-east-1");
                _bootstrapped = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>TapStack deployed by <c>cdk deploy</c>; its outputs, as <c>--outputs-file</c> wrote them.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DeployAsync()
    {
        await BootstrapAsync();
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _outputs ??= await DeployAsync(SynthesizedTemplate.CloudAssembly(Path.Combine(_root, "cdk.out"), FunctionPackage.Directory(_root)));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary><c>cdk deploy</c> of <paramref name="assembly"/>, then its outputs.</summary>
    public async Task<IReadOnlyDictionary<string, string>> DeployAsync(string assembly)
    {
        var outputs = Path.Combine(_root, "outputs.json");
        await CdkOkAsync("deploy", "--app", assembly, "--require-approval", "never", "--outputs-file", outputs, "--parameters", $"InvokerExternalId={ExternalId}");
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(outputs));
        return written.RootElement.GetProperty(StackName).EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetString()!);
    }

    /// <summary>The pinned CDK CLI against LocalAws's HTTPS endpoint, as the admin; what it printed.</summary>
    public Task<ExternalProcess.Result> CdkAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(Cli, [.. arguments, "--no-notices", "--no-color"], new Dictionary<string, string>
        {
            ["HOME"] = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName,
            ["AWS_ACCESS_KEY_ID"] = Admin.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = Admin.SecretKey,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL"] = LocalAws.HttpsLoopback.ToString(),
            ["AWS_CA_BUNDLE"] = LocalAws.CaCertificateFile,
            ["CDK_DISABLE_CLI_TELEMETRY"] = "true",
        }, TimeSpan.FromMinutes(4));

    /// <summary>The CDK CLI, which must succeed; everything it printed.</summary>
    public async Task<string> CdkOkAsync(params string[] arguments)
    {
        var result = await CdkAsync(arguments);
        Assert.True(result.ExitCode == 0, $"cdk {arguments[0]} failed ({result.ExitCode}):\n{result.Output}\n{result.Error}\n{LocalAws.Output}");
        return result.Output + result.Error;
    }

    /// <summary>The AWS CLI v2, which must succeed, against LocalAws's HTTP endpoint; its JSON answer.</summary>
    public async Task<string> AwsAsync(ImmutableCredentials credentials, params string[] arguments)
    {
        var result = await AwsCliRunner.RunAsync(AwsCliV2, LocalAws.Endpoint, credentials, null, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments.Take(2))} failed: {result.Error}\n{LocalAws.Output}");
        return result.Output;
    }

    public async ValueTask DisposeAsync()
    {
        await LocalAws.DisposeAsync();
        _gate.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static Dictionary<string, string?> Principals() => new LocalAwsSettings
    {
        Principals =
        [
            User("admin", Admin, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""),
            User("invoker", Invoker, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"}]}"""),
            User("outsider", Outsider, """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"""),
        ],
    }.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value);

    private static LocalAwsPrincipalSettings User(string name, ImmutableCredentials credentials, string policy) =>
        new(name, $"arn:aws:iam::{Account}:user/{name}") { AccessKeyId = credentials.AccessKey, SecretAccessKey = credentials.SecretKey, Policies = [policy] };
}
