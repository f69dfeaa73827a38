using System.Text.Json;
using Amazon.Runtime;
using Tap.Definition;
using Tap.Testing;

namespace Tap.Infra.Tests;

/// <summary>
/// TapStack deployed end to end into LocalAws as into AWS, by the CDK CLI (<c>cdk bootstrap</c>, <c>cdk deploy</c>),
/// then checked from the outputs the CLI wrote, with real clients (curl, botocore, the AWS CLI). The tests share one
/// deployment; none changes it.
/// </summary>
[Trait("Category", "Process")]
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class DeployedStackTests(CdkDeployment deployment) : IClassFixture<CdkDeployment>
{
    private const string TestAccount = CdkDeployment.Account;
    private const string ExternalId = CdkDeployment.ExternalId;
    private const string Cli = CdkDeployment.AwsCliV2;

    private static ImmutableCredentials Admin => CdkDeployment.Admin;

    private static ImmutableCredentials Invoker => CdkDeployment.Invoker;

    private static ImmutableCredentials Outsider => CdkDeployment.Outsider;

    [Fact]
    public async Task Bootstrap_makes_the_CLIs_own_environment_a_TLS_only_bucket_its_roles_and_its_version()
    {
        await deployment.DeployAsync();

        using var version = JsonDocument.Parse(await AwsAsync(Admin, "ssm", "get-parameter", "--name", "/cdk-bootstrap/hnb659fds/version"));
        Assert.True(int.Parse(version.RootElement.GetProperty("Parameter").GetProperty("Value").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >= 21);
        foreach (var role in (string[])["deploy", "file-publishing", "image-publishing", "lookup", "cfn-exec"])
        {
            await AwsAsync(Admin, "iam", "get-role", "--role-name", $"cdk-hnb659fds-{role}-role-{TestAccount}-us-east-1");
        }

        using var repositories = JsonDocument.Parse(await AwsAsync(Admin, "ecr", "describe-repositories"));
        Assert.Equal($"cdk-hnb659fds-container-assets-{TestAccount}-us-east-1",
            Assert.Single(repositories.RootElement.GetProperty("repositories").EnumerateArray()).GetProperty("repositoryName").GetString());

        // The staging bucket holds the function's zip and the template, and refuses anything but TLS, even to the admin.
        var bucket = $"s3://cdk-hnb659fds-assets-{TestAccount}-us-east-1";
        var overTls = await AwsCliRunner.RunAsync(Cli, deployment.LocalAws.HttpsLoopback, Admin, new Dictionary<string, string> { ["AWS_CA_BUNDLE"] = deployment.LocalAws.CaCertificateFile }, "s3", "ls", bucket);
        Assert.True(overTls.ExitCode == 0, overTls.Error);
        Assert.Contains(".zip", overTls.Output, StringComparison.Ordinal);
        Assert.Contains(".json", overTls.Output, StringComparison.Ordinal);
        var plain = await AwsCliRunner.RunAsync(Cli, deployment.LocalAws.Endpoint, Admin, null, "s3", "ls", bucket);
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("AccessDenied", plain.Error, StringComparison.Ordinal);

        // The deployment went through the CLI's own roles, as against AWS.
        Assert.Contains($"CloudFormation.ExecuteChangeSet by arn:aws:sts::{TestAccount}:assumed-role/cdk-hnb659fds-deploy-role-{TestAccount}-us-east-1/", deployment.LocalAws.Output, StringComparison.Ordinal);
        // The CLI uploads the function's zip in one PUT or in parts, by its size.
        Assert.Matches($@"S3\.(PutObject|UploadPart) by arn:aws:sts::{TestAccount}:assumed-role/cdk-hnb659fds-file-publishing-role-{TestAccount}-us-east-1/", deployment.LocalAws.Output);
    }

    [Fact]
    public async Task The_ApiUrl_output_answers_signed_callers_allowed_to_invoke_and_no_one_else()
    {
        var apiUrl = (await deployment.DeployAsync())["ApiUrl"];
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/prod$", apiUrl);

        // curl signs it itself, as the README shows.
        var (status, body) = await CurlAsync(Invoker, apiUrl + "/orders/42");
        Assert.Equal(200, status);
        using (var answer = JsonDocument.Parse(body))
        {
            Assert.True(answer.RootElement.GetProperty("configLoaded").GetBoolean());
            Assert.Equal("/orders/42", answer.RootElement.GetProperty("path").GetString());
            Assert.Equal($"arn:aws:iam::{TestAccount}:user/invoker", answer.RootElement.GetProperty("caller").GetString());
        }

        // botocore's own SigV4, as a Python client signs.
        var boto = await ExternalProcess.RunAsync("python3", ["-c", BotocoreCall, apiUrl + "/"], new Dictionary<string, string>
        {
            ["KEY"] = Invoker.AccessKey,
            ["SECRET"] = Invoker.SecretKey,
        });
        Assert.SkipWhen(boto.Error.Contains("No module named 'botocore'", StringComparison.Ordinal), "Missing tool: python3 with botocore; install boto3.");
        Assert.StartsWith("200\n", boto.Output, StringComparison.Ordinal);
        Assert.Contains("\"configLoaded\":true", boto.Output, StringComparison.Ordinal);

        Assert.Equal(403, (await CurlAsync(null, apiUrl + "/orders/42")).Status);
        Assert.Equal(403, (await CurlAsync(Outsider, apiUrl + "/orders/42")).Status);
        Assert.Equal(403, (await CurlAsync(TestCredentials.New(), apiUrl + "/orders/42")).Status);
    }

    [Fact]
    public async Task The_invoker_role_is_assumable_only_with_the_external_id_and_may_call_the_API()
    {
        var outputs = await deployment.DeployAsync();
        var role = outputs["InvokerRoleArn"];
        using var session = JsonDocument.Parse(await AwsAsync(Admin, "sts", "assume-role", "--role-arn", role, "--role-session-name", "me", "--external-id", ExternalId));
        var credentials = session.RootElement.GetProperty("Credentials");
        var assumed = new ImmutableCredentials(credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretAccessKey").GetString(),
            credentials.GetProperty("SessionToken").GetString());
        var (status, body) = await CurlAsync(assumed, outputs["ApiUrl"] + "/orders/7");
        Assert.Equal(200, status);
        Assert.Contains($":assumed-role/{role.Split('/')[^1]}/me", body, StringComparison.Ordinal);

        var refused = await AwsCliRunner.RunAsync(Cli, deployment.LocalAws.Endpoint, Admin, null, "sts", "assume-role", "--role-arn", role, "--role-session-name", "me");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("AccessDenied", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_stack_made_is_what_it_declares()
    {
        var outputs = await deployment.DeployAsync();
        var apiUrl = outputs["ApiUrl"];
        // The generated secret: a 40-character API_KEY and the placeholder keys (no value is printed).
        using (var secret = JsonDocument.Parse(await AwsAsync(Admin, "secretsmanager", "get-secret-value", "--secret-id", outputs["SecretArn"])))
        using (var value = JsonDocument.Parse(secret.RootElement.GetProperty("SecretString").GetString()!))
        {
            Assert.Equal(40, value.RootElement.GetProperty("API_KEY").GetString()!.Length);
            Assert.Equal(TapApplication.Secret.Keys.Order(StringComparer.Ordinal), value.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        foreach (var group in (string[])[outputs["FunctionLogGroup"], outputs["AccessLogGroup"]])
        {
            using var groups = JsonDocument.Parse(await AwsAsync(Admin, "logs", "describe-log-groups", "--log-group-name-prefix", group));
            Assert.Equal(TapApplication.LogRetentionDays, Assert.Single(groups.RootElement.GetProperty("logGroups").EnumerateArray()).GetProperty("retentionInDays").GetInt32());
        }

        // The access log's 429s are a metric, and alarms have a topic, e-mailed to no one without AlarmEmail.
        using (var filters = JsonDocument.Parse(await AwsAsync(Admin, "logs", "describe-metric-filters", "--log-group-name", outputs["AccessLogGroup"])))
        {
            var filter = Assert.Single(filters.RootElement.GetProperty("metricFilters").EnumerateArray());
            Assert.Equal("{ $.status = \"429\" }", filter.GetProperty("filterPattern").GetString());
            Assert.Equal(TapApplication.Monitoring.ThrottledRequestsMetric, Assert.Single(filter.GetProperty("metricTransformations").EnumerateArray()).GetProperty("metricName").GetString());
        }

        using (var subscriptions = JsonDocument.Parse(await AwsAsync(Admin, "sns", "list-subscriptions-by-topic", "--topic-arn", outputs["AlarmTopicArn"])))
        {
            Assert.Empty(subscriptions.RootElement.GetProperty("Subscriptions").EnumerateArray());
        }

        // The alarms, as CloudWatch holds them: the definition's thresholds and periods, each notifying the topic.
        using (var alarms = JsonDocument.Parse(await AwsAsync(Admin, "cloudwatch", "describe-alarms", "--alarm-name-prefix", $"{CdkDeployment.StackName}-")))
        {
            var deployed = alarms.RootElement.GetProperty("MetricAlarms").EnumerateArray().ToDictionary(a => a.GetProperty("AlarmName").GetString()!);
            Assert.Equal(TapApplication.Monitoring.Alarms.Select(a => $"{CdkDeployment.StackName}-{a.Name}").Order(StringComparer.Ordinal), deployed.Keys.Order(StringComparer.Ordinal));
            foreach (var alarm in TapApplication.Monitoring.Alarms)
            {
                var held = deployed[$"{CdkDeployment.StackName}-{alarm.Name}"];
                Assert.Equal((alarm.MetricName, alarm.Threshold, (int)alarm.Period.TotalSeconds, alarm.EvaluationPeriods, "INSUFFICIENT_DATA"),
                    (held.GetProperty("MetricName").GetString(), held.GetProperty("Threshold").GetDouble(), held.GetProperty("Period").GetInt32(), held.GetProperty("EvaluationPeriods").GetInt32(), held.GetProperty("StateValue").GetString()));
                Assert.Equal(outputs["AlarmTopicArn"], Assert.Single(held.GetProperty("AlarmActions").EnumerateArray()).GetString());
            }
        }

        using (var dashboard = JsonDocument.Parse(await AwsAsync(Admin, "cloudwatch", "get-dashboard", "--dashboard-name", outputs["DashboardName"])))
        using (var body = JsonDocument.Parse(dashboard.RootElement.GetProperty("DashboardBody").GetString()!))
        {
            var widgets = body.RootElement.GetProperty("widgets").EnumerateArray().ToList();
            Assert.Equal(9, widgets.Count);
            Assert.Contains(outputs["FunctionName"], widgets[4].GetRawText(), StringComparison.Ordinal);
        }

        // The function: the custom runtime, its role, and that role's one grant, on the stack's secret alone (beside tracing's).
        using var function = JsonDocument.Parse(await AwsAsync(Admin, "lambda", "get-function", "--function-name", outputs["FunctionName"]));
        var configuration = function.RootElement.GetProperty("Configuration");
        Assert.Equal(("provided.al2023", "bootstrap", 256, 30), (configuration.GetProperty("Runtime").GetString(), configuration.GetProperty("Handler").GetString(),
            configuration.GetProperty("MemorySize").GetInt32(), configuration.GetProperty("Timeout").GetInt32()));

        // The CLI v2 of Debian 12 predates LoggingConfig; v1's newer botocore reads it.
        var v1 = await AwsCliRunner.RunAsync("aws", deployment.LocalAws.Endpoint, Admin, null, "lambda", "get-function-configuration", "--function-name", outputs["FunctionName"]);
        Assert.SkipWhen(v1.ExitCode != 0 && !ExternalProcess.Exists("aws"), "Missing tool: the AWS CLI v1 (`aws`) is not on PATH.");
        using (var logging = JsonDocument.Parse(v1.Output))
        {
            var config = logging.RootElement.GetProperty("LoggingConfig");
            Assert.Equal(("JSON", outputs["FunctionLogGroup"]), (config.GetProperty("LogFormat").GetString(), config.GetProperty("LogGroup").GetString()));
        }

        var roleName = configuration.GetProperty("Role").GetString()!.Split('/')[^1];
        using var policies = JsonDocument.Parse(await AwsAsync(Admin, "iam", "list-role-policies", "--role-name", roleName));
        var policyName = Assert.Single(policies.RootElement.GetProperty("PolicyNames").EnumerateArray()).GetString()!;
        using var policy = JsonDocument.Parse(await AwsAsync(Admin, "iam", "get-role-policy", "--role-name", roleName, "--policy-name", policyName));
        var statements = policy.RootElement.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal(2, statements.Count);
        var statement = Assert.Single(statements, s => s.GetProperty("Resource").ToString() != "*");
        Assert.Equal(outputs["SecretArn"], statement.GetProperty("Resource").GetString());
        Assert.Equal(TapApplication.FunctionRole.SecretActions.Order(StringComparer.Ordinal), statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));

        // Active tracing, and the one statement it needs: X-Ray's write actions, which take no resource but *.
        Assert.Equal("Active", configuration.GetProperty("TracingConfig").GetProperty("Mode").GetString());
        var tracing = Assert.Single(statements, s => s.GetProperty("Resource").ToString() == "*");
        Assert.Equal(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], tracing.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));

        // The function read it as that role's session: LocalAws says so, and never shows the value.
        Assert.Equal(200, (await CurlAsync(Invoker, apiUrl + "/")).Status);
        Assert.Contains($"Secrets Manager.GetSecretValue by arn:aws:sts::{TestAccount}:assumed-role/{roleName}/{outputs["FunctionName"]}", deployment.LocalAws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_burst_of_150_sees_only_200_and_429_from_the_stage_throttle()
    {
        var apiUrl = (await deployment.DeployAsync())["ApiUrl"];
        Assert.Equal(200, (await CurlAsync(Invoker, apiUrl + "/warm")).Status);

        // A full bucket first: it refills at 50 a second.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        using var client = SignedHttpClient.Create(Invoker, "execute-api");
        var statuses = await Task.WhenAll(Enumerable.Range(0, 150).Select(async i =>
        {
            using var response = await client.GetAsync(new Uri($"{apiUrl}/burst/{i}"), TestContext.Current.CancellationToken);
            return (int)response.StatusCode;
        }));

        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"status {s}"));
        Assert.InRange(statuses.Count(s => s == 200), TapApplication.HttpApi.Throttle.BurstLimit, 149);
        Assert.Contains(429, statuses);
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

    private Task<string> AwsAsync(ImmutableCredentials credentials, params string[] arguments) => deployment.AwsAsync(credentials, arguments);

    internal static async Task<(int Status, string Body)> CurlAsync(ImmutableCredentials? credentials, string url)
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
