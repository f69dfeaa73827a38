using System.Text.Json;
using Amazon.Runtime;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.Infra.Tests;

/// <summary>
/// TapStack deployed end to end into LocalAws as into AWS: the synthesized template (the one synth of these tests)
/// with the function's package in the assets bucket and the bootstrap-version parameter in SSM, deployed with the
/// AWS CLI v2's <c>aws cloudformation deploy</c>; then everything is checked from the stack's outputs, with real
/// clients (curl, botocore, the CLI). Each test deploys into a LocalAws of its own.
/// </summary>
[Trait("Category", "Process")]
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class DeployedStackTests(SynthesizedTemplate stack) : IAsyncLifetime
{
    private const string Cli = "/usr/bin/aws";
    private const string ExternalId = "deployed-stack-external-id";
    private const string StackName = "TapStack";

    private static readonly ImmutableCredentials Admin = TestCredentials.New();
    private static readonly ImmutableCredentials Invoker = TestCredentials.New();
    private static readonly ImmutableCredentials Outsider = TestCredentials.New();

    private readonly LocalAwsProcess _localAws = new(Admin, Principals());
    private readonly string _directory = Directory.CreateTempSubdirectory("deployed-stack-").FullName;
    private Dictionary<string, string> _outputs = [];

    public async ValueTask InitializeAsync()
    {
        Assert.SkipUnless(File.Exists(Cli), "Missing tool: the AWS CLI v2 (/usr/bin/aws); install it with `apt-get install awscli`.");
        await _localAws.StartAsync();

        // What `cdk bootstrap` and the CLI's asset publishing leave behind: the version parameter and the package.
        var properties = stack.PropertiesOf("AWS::Lambda::Function").GetProperty("Code");
        var bucket = $"cdk-hnb659fds-assets-{TestAccount}-us-east-1";
        var package = Path.Combine(_directory, "function.zip");
        await File.WriteAllBytesAsync(package, FunctionPackage.Zip(), TestContext.Current.CancellationToken);
        await AwsAsync(Admin, "s3", "mb", $"s3://{bucket}");
        await AwsAsync(Admin, "s3", "cp", package, $"s3://{bucket}/{properties.GetProperty("S3Key").GetString()}");
        await AwsAsync(Admin, "ssm", "put-parameter", "--name", "/cdk-bootstrap/hnb659fds/version", "--value", "21", "--type", "String");

        await AwsAsync(Admin, "cloudformation", "deploy", "--stack-name", StackName, "--template-file", stack.TemplateFile,
            "--capabilities", "CAPABILITY_IAM", "--parameter-overrides", $"InvokerExternalId={ExternalId}");
        using var described = JsonDocument.Parse(await AwsAsync(Admin, "cloudformation", "describe-stacks", "--stack-name", StackName));
        _outputs = described.RootElement.GetProperty("Stacks")[0].GetProperty("Outputs").EnumerateArray()
            .ToDictionary(o => o.GetProperty("OutputKey").GetString()!, o => o.GetProperty("OutputValue").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        await _localAws.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private const string TestAccount = LocalAwsSettings.DefaultAccountId;

    private string ApiUrl => _outputs["ApiUrl"];

    [Fact]
    public async Task The_ApiUrl_output_answers_signed_callers_allowed_to_invoke_and_no_one_else()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/prod$", ApiUrl);

        // curl signs it itself, as the README shows.
        var (status, body) = await CurlAsync(Invoker, ApiUrl + "/orders/42");
        Assert.Equal(200, status);
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.True(answer.RootElement.GetProperty("configLoaded").GetBoolean());
            Assert.Equal("/orders/42", answer.RootElement.GetProperty("path").GetString());
            Assert.Equal($"arn:aws:iam::{TestAccount}:user/invoker", answer.RootElement.GetProperty("caller").GetString());
        }

        // botocore's own SigV4, as a Python client signs.
        var boto = await ExternalProcess.RunAsync("python3", ["-c", BotocoreCall, ApiUrl + "/"], new Dictionary<string, string>
        {
            ["KEY"] = Invoker.AccessKey,
            ["SECRET"] = Invoker.SecretKey,
        });
        Assert.SkipWhen(boto.Error.Contains("No module named 'botocore'", StringComparison.Ordinal), "Missing tool: python3 with botocore; install boto3.");
        Assert.StartsWith("200\n", boto.Output, StringComparison.Ordinal);
        Assert.Contains("\"configLoaded\":true", boto.Output, StringComparison.Ordinal);

        Assert.Equal(403, (await CurlAsync(null, ApiUrl + "/orders/42")).Status);
        Assert.Equal(403, (await CurlAsync(Outsider, ApiUrl + "/orders/42")).Status);
        Assert.Equal(403, (await CurlAsync(TestCredentials.New(), ApiUrl + "/orders/42")).Status);
    }

    [Fact]
    public async Task The_invoker_role_is_assumable_only_with_the_external_id_and_may_call_the_API()
    {
        var role = _outputs["InvokerRoleArn"];
        using var session = JsonDocument.Parse(await AwsAsync(Admin, "sts", "assume-role", "--role-arn", role, "--role-session-name", "me", "--external-id", ExternalId));
        var credentials = session.RootElement.GetProperty("Credentials");
        var assumed = new ImmutableCredentials(credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretAccessKey").GetString(),
            credentials.GetProperty("SessionToken").GetString());
        var (status, body) = await CurlAsync(assumed, ApiUrl + "/orders/7");
        Assert.Equal(200, status);
        Assert.Contains($":assumed-role/{role.Split('/')[^1]}/me", body, StringComparison.Ordinal);

        var refused = await AwsCliRunner.RunAsync(Cli, _localAws.Endpoint, Admin, null, "sts", "assume-role", "--role-arn", role, "--role-session-name", "me");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("AccessDenied", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_stack_made_is_what_it_declares()
    {
        // The generated secret: a 40-character API_KEY and the placeholder keys (no value is printed).
        using (var secret = JsonDocument.Parse(await AwsAsync(Admin, "secretsmanager", "get-secret-value", "--secret-id", _outputs["SecretArn"])))
        using (var value = JsonDocument.Parse(secret.RootElement.GetProperty("SecretString").GetString()!))
        {
            Assert.Equal(40, value.RootElement.GetProperty("API_KEY").GetString()!.Length);
            Assert.Equal(TapApplication.Secret.Keys.Order(StringComparer.Ordinal), value.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        foreach (var group in (string[])[_outputs["FunctionLogGroup"], _outputs["AccessLogGroup"]])
        {
            using var groups = JsonDocument.Parse(await AwsAsync(Admin, "logs", "describe-log-groups", "--log-group-name-prefix", group));
            Assert.Equal(TapApplication.LogRetentionDays, Assert.Single(groups.RootElement.GetProperty("logGroups").EnumerateArray()).GetProperty("retentionInDays").GetInt32());
        }

        // The function: the custom runtime, its role, and that role's one grant, on the stack's secret alone.
        using var function = JsonDocument.Parse(await AwsAsync(Admin, "lambda", "get-function", "--function-name", _outputs["FunctionName"]));
        var configuration = function.RootElement.GetProperty("Configuration");
        Assert.Equal(("provided.al2023", "bootstrap", 256, 30), (configuration.GetProperty("Runtime").GetString(), configuration.GetProperty("Handler").GetString(),
            configuration.GetProperty("MemorySize").GetInt32(), configuration.GetProperty("Timeout").GetInt32()));

        // The CLI v2 of Debian 12 predates LoggingConfig; v1's newer botocore reads it.
        var v1 = await AwsCliRunner.RunAsync("aws", _localAws.Endpoint, Admin, null, "lambda", "get-function-configuration", "--function-name", _outputs["FunctionName"]);
        Assert.SkipWhen(v1.ExitCode != 0 && !ExternalProcess.Exists("aws"), "Missing tool: the AWS CLI v1 (`aws`) is not on PATH.");
        using (var logging = JsonDocument.Parse(v1.Output))
        {
            var config = logging.RootElement.GetProperty("LoggingConfig");
            Assert.Equal(("JSON", _outputs["FunctionLogGroup"]), (config.GetProperty("LogFormat").GetString(), config.GetProperty("LogGroup").GetString()));
        }

        var roleName = configuration.GetProperty("Role").GetString()!.Split('/')[^1];
        using var policies = JsonDocument.Parse(await AwsAsync(Admin, "iam", "list-role-policies", "--role-name", roleName));
        var policyName = Assert.Single(policies.RootElement.GetProperty("PolicyNames").EnumerateArray()).GetString()!;
        using var policy = JsonDocument.Parse(await AwsAsync(Admin, "iam", "get-role-policy", "--role-name", roleName, "--policy-name", policyName));
        var statement = Assert.Single(policy.RootElement.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal(_outputs["SecretArn"], statement.GetProperty("Resource").GetString());
        Assert.Equal(TapApplication.FunctionRole.SecretActions.Order(StringComparer.Ordinal), statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));

        // The function read it as that role's session: LocalAws says so, and never shows the value.
        Assert.Equal(200, (await CurlAsync(Invoker, ApiUrl + "/")).Status);
        Assert.Contains($"Secrets Manager.GetSecretValue by arn:aws:sts::{TestAccount}:assumed-role/{roleName}/{_outputs["FunctionName"]}", _localAws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_150_sees_only_200_and_429_from_the_stage_throttle()
    {
        Assert.Equal(200, (await CurlAsync(Invoker, ApiUrl + "/warm")).Status);

        // A full bucket first: it refills at 50 a second.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        using var client = SignedHttpClient.Create(Invoker, "execute-api");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 150).Select(async i =>
        {
            using var response = await client.GetAsync(new Uri($"{ApiUrl}/burst/{i}"), TestContext.Current.CancellationToken);
            return (int)response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"status {s}"));
        Assert.InRange(statuses.Count(s => s == 200), TapApplication.HttpApi.Throttle.BurstLimit, 149);
        Assert.Contains(429, statuses);
    }

    [Fact]
    public async Task Deleting_the_stack_stops_the_API_and_removes_the_function_and_roles_but_keeps_the_secret_and_the_bucket()
    {
        using var resources = JsonDocument.Parse(await AwsAsync(Admin, "cloudformation", "describe-stack-resources", "--stack-name", StackName));
        var physical = resources.RootElement.GetProperty("StackResources").EnumerateArray()
            .ToLookup(r => r.GetProperty("ResourceType").GetString()!, r => r.GetProperty("PhysicalResourceId").GetString()!);

        await AwsAsync(Admin, "cloudformation", "delete-stack", "--stack-name", StackName);
        await AwsAsync(Admin, "cloudformation", "wait", "stack-delete-complete", "--stack-name", StackName);

        using (var http = new HttpClient())
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(ApiUrl + "/"), TestContext.Current.CancellationToken));
        }

        var function = await AwsCliRunner.RunAsync(Cli, _localAws.Endpoint, Admin, null, "lambda", "get-function", "--function-name", _outputs["FunctionName"]);
        Assert.Contains("ResourceNotFoundException", function.Error, StringComparison.Ordinal);
        foreach (var role in physical["AWS::IAM::Role"])
        {
            var gone = await AwsCliRunner.RunAsync(Cli, _localAws.Endpoint, Admin, null, "iam", "get-role", "--role-name", role);
            Assert.Contains("NoSuchEntity", gone.Error, StringComparison.Ordinal);
        }

        await AwsAsync(Admin, "secretsmanager", "describe-secret", "--secret-id", _outputs["SecretArn"]);
        await AwsAsync(Admin, "s3api", "head-bucket", "--bucket", Assert.Single(physical["AWS::S3::Bucket"]));
    }

    private const string BotocoreCall = """
        import os, sys, urllib.request
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        request = AWSRequest(method="GET", url=sys.argv[1])
        SigV4Auth(Credentials(os.environ["KEY"], os.environ["SECRET"]), "execute-api", "us-east-1").add_auth(request)
        with urllib.request.urlopen(urllib.request.Request(sys.argv[1], headers=dict(request.headers.items()))) as response:
            print(response.status)
            print(response.read().decode())
        """;

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
        new(name, $"arn:aws:iam::{TestAccount}:user/{name}") { AccessKeyId = credentials.AccessKey, SecretAccessKey = credentials.SecretKey, Policies = [policy] };

    private async Task<string> AwsAsync(ImmutableCredentials credentials, params string[] arguments)
    {
        var result = await AwsCliRunner.RunAsync(Cli, _localAws.Endpoint, credentials, null, arguments);
        Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments.Take(2))} failed: {result.Error}\n{_localAws.Output}");
        return result.Output;
    }

    private static async Task<(int Status, string Body)> CurlAsync(ImmutableCredentials? credentials, string url)
    {
        List<string> arguments = ["-s", "-w", "\n%{http_code}"];
        if (credentials is not null)
        {
            arguments.AddRange(["--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user", $"{credentials.AccessKey}:{credentials.SecretKey}"]);
            if (credentials.UseToken)
            {
                arguments.AddRange(["-H", $"x-amz-security-token: {credentials.Token}"]);
            }
        }

        var result = await ExternalProcess.RunAsync("curl", [.. arguments, url]);
        var split = result.Output.LastIndexOf('\n');
        return (int.Parse(result.Output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), result.Output[..split]);
    }
}
