using System.Text.Json;
using Amazon.Runtime;

using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>The AWS CLI against a LocalAws process: nothing but <c>--endpoint-url</c> differs from real AWS.</summary>
[Trait("Category", "Process")]
[Collection(LocalAwsProcessCollectionDefinition.Name)]
public sealed class AwsCliTests(LocalAwsProcessFixture localAws)
{
    private Task<ExternalProcess.Result> Aws(ImmutableCredentials? credentials, params string[] arguments) =>
        AwsCli.RunAsync(localAws.Endpoint, credentials, null, arguments);

    private static JsonElement Json(ExternalProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"aws failed ({result.ExitCode}): {result.Error}");
        using var document = JsonDocument.Parse(result.Output);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task The_CLI_creates_reads_updates_describes_lists_and_deletes_a_secret()
    {
        var name = $"cli/{Guid.NewGuid():N}";

        var created = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "create-secret", "--name", name, "--secret-string", """{"API_KEY":"one"}"""));
        var read = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "get-secret-value", "--secret-id", name));
        var put = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "put-secret-value", "--secret-id", created.GetProperty("ARN").GetString()!, "--secret-string", """{"API_KEY":"two"}"""));
        var described = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "describe-secret", "--secret-id", name));
        var listed = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "list-secrets", "--filters", $"Key=name,Values={name}"));
        var deleted = Json(await Aws(TestPrincipals.Admin, "secretsmanager", "delete-secret", "--secret-id", name, "--force-delete-without-recovery"));
        var gone = await Aws(TestPrincipals.Admin, "secretsmanager", "get-secret-value", "--secret-id", name);

        Assert.Equal(name, created.GetProperty("Name").GetString());
        Assert.Equal("""{"API_KEY":"one"}""", read.GetProperty("SecretString").GetString());
        Assert.Equal("AWSCURRENT", put.GetProperty("VersionStages")[0].GetString());
        Assert.Equal(2, described.GetProperty("VersionIdsToStages").EnumerateObject().Count());
        Assert.Equal(name, listed.GetProperty("SecretList")[0].GetProperty("Name").GetString());
        Assert.Equal(name, deleted.GetProperty("Name").GetString());
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("ResourceNotFoundException", gone.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("/usr/bin/aws")]
    public async Task Both_CLIs_create_a_topic_subscribe_an_address_list_its_subscriptions_and_delete_it(string program)
    {
        Assert.SkipUnless(ExternalProcess.Exists(program), $"Missing tool: the AWS CLI at {program}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var name = $"cli-{Guid.NewGuid():N}";
        Task<ExternalProcess.Result> Sns(params string[] arguments) => AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null, ["sns", .. arguments]);

        var arn = Json(await Sns("create-topic", "--name", name, "--attributes", "DisplayName=Alarms")).GetProperty("TopicArn").GetString()!;
        var pending = Json(await Sns("subscribe", "--topic-arn", arn, "--protocol", "email", "--notification-endpoint", "ops@example.com")).GetProperty("SubscriptionArn").GetString();
        var subscriptions = Json(await Sns("list-subscriptions-by-topic", "--topic-arn", arn)).GetProperty("Subscriptions");
        var attributes = Json(await Sns("get-topic-attributes", "--topic-arn", arn)).GetProperty("Attributes");
        Assert.Equal(0, (await Sns("delete-topic", "--topic-arn", arn)).ExitCode);
        var gone = await Sns("get-topic-attributes", "--topic-arn", arn);

        Assert.Equal($"arn:aws:sns:us-east-1:000000000000:{name}", arn);
        Assert.Equal("pending confirmation", pending);
        var subscription = Assert.Single(subscriptions.EnumerateArray());
        Assert.Equal(("email", "ops@example.com", "PendingConfirmation"), (subscription.GetProperty("Protocol").GetString(), subscription.GetProperty("Endpoint").GetString(), subscription.GetProperty("SubscriptionArn").GetString()));
        Assert.Equal(("Alarms", "1"), (attributes.GetProperty("DisplayName").GetString(), attributes.GetProperty("SubscriptionsPending").GetString()));
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("NotFound", gone.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws")]
    [InlineData("/usr/bin/aws")]
    public async Task Both_CLIs_put_and_describe_a_log_groups_metric_filter(string program)
    {
        Assert.SkipUnless(ExternalProcess.Exists(program), $"Missing tool: the AWS CLI at {program}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var group = $"/cli/{Guid.NewGuid():N}";
        Task<ExternalProcess.Result> Logs(params string[] arguments) => AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null, ["logs", .. arguments]);

        Assert.Equal(0, (await Logs("create-log-group", "--log-group-name", group)).ExitCode);
        var put = await Logs("put-metric-filter", "--log-group-name", group, "--filter-name", "throttled", "--filter-pattern", "{ $.status = 429 }",
            "--metric-transformations", "metricName=ThrottledRequests,metricNamespace=Tap/HttpApi,metricValue=1,defaultValue=0,unit=Count");
        Assert.True(put.ExitCode == 0, put.Error);
        var filter = Assert.Single(Json(await Logs("describe-metric-filters", "--log-group-name", group)).GetProperty("metricFilters").EnumerateArray());

        Assert.Equal(("throttled", "{ $.status = 429 }"), (filter.GetProperty("filterName").GetString(), filter.GetProperty("filterPattern").GetString()));
        Assert.Equal("ThrottledRequests", Assert.Single(filter.GetProperty("metricTransformations").EnumerateArray()).GetProperty("metricName").GetString());
    }

    /// <summary>CLI v1 (botocore) speaks RPC v2 CBOR to CloudWatch, Debian's v2 Query: the same answers either way.</summary>
    [Theory]
    [InlineData("aws")]
    [InlineData("/usr/bin/aws")]
    public async Task Both_CLIs_put_describe_and_delete_an_alarm_and_a_dashboard(string program)
    {
        Assert.SkipUnless(ExternalProcess.Exists(program), $"Missing tool: the AWS CLI at {program}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var name = $"cli-{Guid.NewGuid():N}";
        Task<ExternalProcess.Result> CloudWatch(params string[] arguments) => AwsCli.RunProgramAsync(program, localAws.Endpoint, TestPrincipals.Admin, null, ["cloudwatch", .. arguments]);
        const string body = """{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/Lambda","Errors","FunctionName","api-handler"]],"region":"us-east-1"}}]}""";

        var put = await CloudWatch("put-metric-alarm", "--alarm-name", name, "--namespace", "AWS/Lambda", "--metric-name", "Errors", "--statistic", "Sum",
            "--period", "300", "--evaluation-periods", "1", "--threshold", "1", "--comparison-operator", "GreaterThanOrEqualToThreshold",
            "--dimensions", "Name=FunctionName,Value=api-handler", "--alarm-actions", "arn:aws:sns:us-east-1:000000000000:alarms", "--treat-missing-data", "notBreaching");
        Assert.True(put.ExitCode == 0, put.Error);
        Assert.Equal(0, (await CloudWatch("set-alarm-state", "--alarm-name", name, "--state-value", "ALARM", "--state-reason", "from the CLI")).ExitCode);
        var alarm = Assert.Single(Json(await CloudWatch("describe-alarms", "--alarm-names", name)).GetProperty("MetricAlarms").EnumerateArray());
        Assert.Equal(0, (await CloudWatch("put-dashboard", "--dashboard-name", name, "--dashboard-body", body)).ExitCode);
        var dashboard = Json(await CloudWatch("get-dashboard", "--dashboard-name", name));
        var entry = Assert.Single(Json(await CloudWatch("list-dashboards", "--dashboard-name-prefix", name)).GetProperty("DashboardEntries").EnumerateArray());
        Assert.Equal(0, (await CloudWatch("delete-alarms", "--alarm-names", name)).ExitCode);
        Assert.Equal(0, (await CloudWatch("delete-dashboards", "--dashboard-names", name)).ExitCode);
        var gone = await CloudWatch("get-dashboard", "--dashboard-name", name);

        Assert.Equal(("Errors", 300, 1.0, "ALARM"), (alarm.GetProperty("MetricName").GetString(), alarm.GetProperty("Period").GetInt32(), alarm.GetProperty("Threshold").GetDouble(), alarm.GetProperty("StateValue").GetString()));
        Assert.Equal("api-handler", alarm.GetProperty("Dimensions")[0].GetProperty("Value").GetString());
        // CLI v1 prints a timestamp as it came (JSON 1.0's epoch seconds), v2 in ISO 8601.
        var updated = alarm.GetProperty("StateUpdatedTimestamp");
        Assert.InRange(updated.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeMilliseconds((long)(updated.GetDouble() * 1000)) : updated.GetDateTimeOffset(),
            DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal((body, $"arn:aws:cloudwatch::000000000000:dashboard/{name}"), (dashboard.GetProperty("DashboardBody").GetString(), dashboard.GetProperty("DashboardArn").GetString()));
        Assert.Equal(body.Length, entry.GetProperty("Size").GetInt32());
        Assert.Empty(Json(await CloudWatch("describe-alarms", "--alarm-names", name)).GetProperty("MetricAlarms").EnumerateArray());
        Assert.NotEqual(0, gone.ExitCode);
        Assert.Contains("ResourceNotFound", gone.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// No AWS CLI chooses CloudWatch's RPC v2 CBOR by itself (botocore prefers JSON 1.0), so CLI v1 is given its own
    /// CloudWatch model offering only CBOR (<c>AWS_DATA_PATH</c>): botocore's CBOR serializer and parser, for real.
    /// </summary>
    [Fact]
    public async Task CLI_v1_speaking_RPC_v2_CBOR_puts_describes_and_is_refused_an_alarm()
    {
        AwsCli.SkipUnlessInstalled();
        var models = Directory.CreateTempSubdirectory("localaws-cbor-model-");
        try
        {
            await WriteCborOnlyCloudWatchModelAsync(models.FullName);
            var environment = new Dictionary<string, string> { ["AWS_DATA_PATH"] = models.FullName };
            Task<ExternalProcess.Result> CloudWatch(params string[] arguments) => AwsCli.RunAsync(localAws.Endpoint, TestPrincipals.Admin, environment, ["cloudwatch", .. arguments]);
            var name = $"cbor-{Guid.NewGuid():N}";

            var put = await CloudWatch("put-metric-alarm", "--alarm-name", name, "--namespace", "AWS/ApiGateway", "--metric-name", "5xx", "--statistic", "Sum",
                "--period", "60", "--evaluation-periods", "5", "--datapoints-to-alarm", "3", "--threshold", "2.5", "--comparison-operator", "GreaterThanThreshold", "--debug");
            var alarm = Assert.Single(Json(await CloudWatch("describe-alarms", "--alarm-names", name)).GetProperty("MetricAlarms").EnumerateArray());
            var missing = await CloudWatch("set-alarm-state", "--alarm-name", name + "-missing", "--state-value", "OK", "--state-reason", "r");

            Assert.True(put.ExitCode == 0, put.Error);
            Assert.Contains("/service/GraniteServiceVersion20100801/operation/PutMetricAlarm", put.Error, StringComparison.Ordinal);
            Assert.Equal((60, 5, 3, 2.5), (alarm.GetProperty("Period").GetInt32(), alarm.GetProperty("EvaluationPeriods").GetInt32(), alarm.GetProperty("DatapointsToAlarm").GetInt32(), alarm.GetProperty("Threshold").GetDouble()));
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("(ResourceNotFound)", missing.Error, StringComparison.Ordinal);
        }
        finally
        {
            models.Delete(recursive: true);
        }
    }

    /// <summary>botocore's own CloudWatch model, with RPC v2 CBOR as its only protocol, where <c>AWS_DATA_PATH</c> finds it.</summary>
    private static async Task WriteCborOnlyCloudWatchModelAsync(string directory)
    {
        var botocore = await ExternalProcess.RunAsync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"]);
        Assert.True(botocore.ExitCode == 0, $"CLI v1's botocore is not importable by python3: {botocore.Error}");
        var versions = Path.Combine(botocore.Output.Trim(), "data", "cloudwatch");
        var source = Directory.EnumerateDirectories(versions).Order(StringComparer.Ordinal).Last();
        var model = File.Exists(Path.Combine(source, "service-2.json"))
            ? System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(source, "service-2.json")))!
            : System.Text.Json.Nodes.JsonNode.Parse(await ReadGzipAsync(Path.Combine(source, "service-2.json.gz")))!;
        model["metadata"]!["protocol"] = "smithy-rpc-v2-cbor";
        model["metadata"]!["protocols"] = new System.Text.Json.Nodes.JsonArray("smithy-rpc-v2-cbor");
        var target = Directory.CreateDirectory(Path.Combine(directory, "cloudwatch", Path.GetFileName(source))).FullName;
        await File.WriteAllTextAsync(Path.Combine(target, "service-2.json"), model.ToJsonString());
    }

    private static async Task<string> ReadGzipAsync(string path)
    {
        await using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }

    [Fact]
    public async Task The_CLI_sees_AccessDenied_for_a_principal_whose_policy_does_not_allow_the_call()
    {
        var result = await Aws(TestPrincipals.Reader, "secretsmanager", "list-secrets");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("AccessDeniedException", result.Error, StringComparison.Ordinal);
        Assert.Contains("User: arn:aws:iam::000000000000:user/reader is not authorized to perform: secretsmanager:ListSecrets", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_is_refused_with_a_wrong_secret_key()
    {
        var wrong = new ImmutableCredentials(TestPrincipals.Admin.AccessKey, "wrong-secret-key-wrong-secret-key-00000", null);

        var sts = await Aws(wrong, "sts", "get-caller-identity");
        var sm = await Aws(wrong, "secretsmanager", "list-secrets");

        Assert.Contains("SignatureDoesNotMatch", sts.Error, StringComparison.Ordinal);
        Assert.Contains("InvalidSignatureException", sm.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CLI_gets_the_caller_identity()
    {
        var identity = Json(await Aws(TestPrincipals.Reader, "sts", "get-caller-identity"));

        Assert.Equal("arn:aws:iam::000000000000:user/reader", identity.GetProperty("Arn").GetString());
        Assert.Equal("000000000000", identity.GetProperty("Account").GetString());
    }

    [Fact]
    public async Task The_CLI_uses_role_credentials_from_the_container_credentials_endpoint()
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = SignedHttpClient.ContainerCredentialsUrl(localAws.Endpoint, "api-handler-role").ToString(),
            ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = TestPrincipals.RoleToken,
        };

        var identity = await AwsCli.RunAsync(localAws.Endpoint, null, environment, "sts", "get-caller-identity");
        var denied = await AwsCli.RunAsync(localAws.Endpoint, null, environment, "secretsmanager", "list-secrets");
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong-token";
        var refused = await AwsCli.RunAsync(localAws.Endpoint, null, environment, "sts", "get-caller-identity");

        Assert.StartsWith("arn:aws:sts::000000000000:assumed-role/api-handler-role/", Json(identity).GetProperty("Arn").GetString(), StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", denied.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, refused.ExitCode);
    }
}
