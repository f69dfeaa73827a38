using System.Text.Json;
using Amazon.CDK.Assertions;
using Tap.Definition;
using Tap.Infra.Constructs;

namespace Tap.Infra.Tests;

/// <summary>What the synthesized TapStack deploys, property by property.</summary>
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class TemplateTests(SynthesizedTemplate stack)
{
    /// <summary>What the local dashboard shows of the API and of the function, by CloudWatch's names.</summary>
    private static readonly string[] ApiMetrics = ["Count", "4xx", "5xx", "Latency", "IntegrationLatency", "DataProcessed"];

    private static readonly string[] FunctionMetrics = ["Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"];

    private static Dictionary<string, object> Props(params (string Key, object Value)[] properties) =>
        properties.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void Both_routes_go_to_the_function_and_require_IAM_authorization()
    {
        var routes = stack.Resources("AWS::ApiGatewayV2::Route").Select(r => r.GetProperty("Properties")).ToList();

        Assert.Equal(["ANY /", "ANY /{proxy+}"], routes.Select(r => r.GetProperty("RouteKey").GetString()).Order(StringComparer.Ordinal));
        Assert.All(routes, r => Assert.Equal("AWS_IAM", r.GetProperty("AuthorizationType").GetString()));
        stack.Template.ResourceCountIs("AWS::ApiGatewayV2::Integration", 1);
    }

    [Fact]
    public void There_is_exactly_one_stage_prod_auto_deployed_throttled_50_per_second_with_bursts_of_100()
    {
        var stage = stack.PropertiesOf("AWS::ApiGatewayV2::Stage");

        Assert.Equal("prod", stage.GetProperty("StageName").GetString());
        Assert.True(stage.GetProperty("AutoDeploy").GetBoolean());
        var routeSettings = stage.GetProperty("DefaultRouteSettings");
        Assert.Equal(50, routeSettings.GetProperty("ThrottlingRateLimit").GetDouble());
        Assert.Equal(100, routeSettings.GetProperty("ThrottlingBurstLimit").GetInt32());
        Assert.True(routeSettings.GetProperty("DetailedMetricsEnabled").GetBoolean());
        Assert.False(stage.TryGetProperty("DefaultRouteSettings", out var settings) && settings.TryGetProperty("LoggingLevel", out _));
    }

    [Fact]
    public void The_stage_writes_JSON_access_logs_to_a_log_group_kept_14_days()
    {
        var stage = stack.PropertiesOf("AWS::ApiGatewayV2::Stage");
        var access = stage.GetProperty("AccessLogSettings");
        var logGroupId = access.GetProperty("DestinationArn").GetProperty("Fn::GetAtt")[0].GetString()!;

        using var format = JsonDocument.Parse(access.GetProperty("Format").GetString()!);
        Assert.Equal("$context.requestId", format.RootElement.GetProperty("requestId").GetString());
        Assert.Equal(14, stack.Json.GetProperty("Resources").GetProperty(logGroupId).GetProperty("Properties").GetProperty("RetentionInDays").GetInt32());
    }

    [Fact]
    public void The_API_answers_CORS_preflights_as_the_definition_says_and_has_no_default_stage()
    {
        var cors = TapApplication.HttpApi.Cors;

        stack.Template.HasResourceProperties("AWS::ApiGatewayV2::Api", Props(
            ("ProtocolType", "HTTP"),
            ("CorsConfiguration", Props(
                ("AllowOrigins", cors.AllowOrigins.ToArray()),
                ("AllowMethods", cors.AllowMethods.ToArray()),
                ("AllowHeaders", cors.AllowHeaders.ToArray()),
                ("MaxAge", cors.MaxAge.TotalSeconds)))));
        Assert.DoesNotContain(stack.Resources("AWS::ApiGatewayV2::Stage"), s => s.GetProperty("Properties").GetProperty("StageName").GetString() == "$default");
    }

    [Fact]
    public void The_function_is_the_AOT_bootstrap_on_the_custom_runtime_with_JSON_logs_in_its_own_group()
    {
        var function = stack.PropertiesOf("AWS::Lambda::Function");
        var logGroupId = function.GetProperty("LoggingConfig").GetProperty("LogGroup").GetProperty("Ref").GetString()!;

        Assert.Equal("provided.al2023", function.GetProperty("Runtime").GetString());
        Assert.Equal("bootstrap", function.GetProperty("Handler").GetString());
        Assert.Equal(["x86_64"], function.GetProperty("Architectures").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(256, function.GetProperty("MemorySize").GetInt32());
        Assert.Equal(30, function.GetProperty("Timeout").GetInt32());
        Assert.Equal("JSON", function.GetProperty("LoggingConfig").GetProperty("LogFormat").GetString());
        Assert.Equal(stack.LogicalId("AWS::SecretsManager::Secret"), function.GetProperty("Environment").GetProperty("Variables").GetProperty("SECRET_ID").GetProperty("Ref").GetString());
        Assert.Equal(14, stack.Json.GetProperty("Resources").GetProperty(logGroupId).GetProperty("Properties").GetProperty("RetentionInDays").GetInt32());
    }

    [Fact]
    public void The_function_package_leaves_the_debug_symbols_out()
    {
        var assets = Directory.GetDirectories(Path.GetDirectoryName(stack.TemplateFile)!, "asset.*");

        var asset = Assert.Single(assets);
        Assert.True(File.Exists(Path.Combine(asset, "bootstrap")));
        Assert.False(File.Exists(Path.Combine(asset, "bootstrap.dbg")));
        Assert.Empty(Directory.GetFiles(asset, "*.pdb"));
    }

    [Fact]
    public void The_function_traces_actively_and_its_role_gains_only_X_Rays_two_write_actions_for_it()
    {
        var function = stack.PropertiesOf("AWS::Lambda::Function");
        Assert.Equal("Active", function.GetProperty("TracingConfig").GetProperty("Mode").GetString());

        var statements = stack.Resources("AWS::IAM::Policy")
            .SelectMany(p => p.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .Where(s => s.GetProperty("Action").ToString().Contains("xray:", StringComparison.Ordinal))
            .ToList();
        var statement = Assert.Single(statements);
        Assert.Equal(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
        Assert.Equal("*", statement.GetProperty("Resource").GetString());
        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
    }

    [Fact]
    public void The_function_role_may_read_its_one_secret_and_nothing_else_in_Secrets_Manager()
    {
        var statements = stack.Resources("AWS::IAM::Policy")
            .SelectMany(p => p.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .Where(s => s.GetProperty("Action").ToString().Contains("secretsmanager:", StringComparison.Ordinal))
            .ToList();

        var statement = Assert.Single(statements);
        Assert.Equal(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], statement.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(stack.LogicalId("AWS::SecretsManager::Secret"), statement.GetProperty("Resource").GetProperty("Ref").GetString());
        stack.Template.HasResourceProperties("AWS::IAM::Role", Props(("ManagedPolicyArns", Match.ArrayWith([Match.ObjectLike(Props(
            ("Fn::Join", Match.ArrayWith([Match.ArrayWith([Match.StringLikeRegexp("AWSLambdaBasicExecutionRole")])]))))]))));
    }

    [Fact]
    public void The_secret_is_generated_with_placeholders_and_no_value_is_in_the_template()
    {
        var secret = stack.PropertiesOf("AWS::SecretsManager::Secret");
        var generate = secret.GetProperty("GenerateSecretString");

        Assert.Equal("tap/api-config-" + SynthesizedTemplate.EnvironmentName, secret.GetProperty("Name").GetString());
        Assert.Equal("API_KEY", generate.GetProperty("GenerateStringKey").GetString());
        Assert.Equal("""{"DATABASE_URL":"","EXTERNAL_SERVICE_TOKEN":""}""", generate.GetProperty("SecretStringTemplate").GetString());
        Assert.False(secret.TryGetProperty("SecretString", out _));
        Assert.DoesNotContain("\"SecretString\"", stack.Json.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("Retain", Assert.Single(stack.Resources("AWS::SecretsManager::Secret")).GetProperty("DeletionPolicy").GetString());
    }

    [Fact]
    public void The_invoker_policy_allows_only_execute_api_Invoke_on_this_API()
    {
        var document = stack.PropertiesOf("AWS::IAM::ManagedPolicy").GetProperty("PolicyDocument");
        var statement = Assert.Single(document.GetProperty("Statement").EnumerateArray());
        var arn = statement.GetProperty("Resource").GetProperty("Fn::Join")[1].GetRawText();

        Assert.Equal("Allow", statement.GetProperty("Effect").GetString());
        Assert.Equal("execute-api:Invoke", statement.GetProperty("Action").GetString());
        Assert.Contains($$"""{"Ref":"{{stack.LogicalId("AWS::ApiGatewayV2::Api")}}"}""", arn, StringComparison.Ordinal);
        Assert.EndsWith("\"/prod/*/*\"]", arn, StringComparison.Ordinal);
        // Named with the environment, so a user can hold it by ARN before the stack is deployed.
        Assert.StartsWith(TapApplication.Invoker.PolicyName + "-", stack.PropertiesOf("AWS::IAM::ManagedPolicy").GetProperty("ManagedPolicyName").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_invoker_role_trusts_the_account_only_with_the_external_id_which_is_never_in_the_template()
    {
        var invoker = stack.Resources("AWS::IAM::Role").Select(r => r.GetProperty("Properties"))
            .Single(r => r.GetProperty("AssumeRolePolicyDocument").GetRawText().Contains("sts:ExternalId", StringComparison.Ordinal));
        var trust = Assert.Single(invoker.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());

        Assert.Contains(":root", trust.GetProperty("Principal").GetProperty("AWS").GetRawText(), StringComparison.Ordinal);
        Assert.Equal("InvokerExternalId", trust.GetProperty("Condition").GetProperty("StringEquals").GetProperty("sts:ExternalId").GetProperty("Ref").GetString());
        Assert.True(stack.Json.GetProperty("Parameters").GetProperty("InvokerExternalId").GetProperty("NoEcho").GetBoolean());
        Assert.Equal(1, invoker.GetProperty("ManagedPolicyArns").GetArrayLength());
    }

    [Fact]
    public void The_bucket_is_versioned_encrypted_private_TLS_only_and_retained()
    {
        stack.Template.HasResourceProperties("AWS::S3::Bucket", Props(
            ("VersioningConfiguration", Props(("Status", "Enabled"))),
            ("BucketEncryption", Match.ObjectLike(Props(("ServerSideEncryptionConfiguration", Match.AnyValue())))),
            ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true)))));
        stack.Template.HasResourceProperties("AWS::S3::BucketPolicy", Props(("PolicyDocument", Match.ObjectLike(Props(("Statement", Match.ArrayWith([
            Match.ObjectLike(Props(("Effect", "Deny"), ("Condition", Props(("Bool", Props(("aws:SecureTransport", "false"))))))),
        ])))))));
        Assert.All(stack.Resources("AWS::S3::Bucket"), b => Assert.Equal("Retain", b.GetProperty("DeletionPolicy").GetString()));
    }

    [Fact]
    public void Nothing_names_a_region_and_nothing_reports_the_CDK_version()
    {
        Assert.DoesNotContain("us-east-1", stack.Json.GetRawText(), StringComparison.Ordinal);
        stack.Template.ResourceCountIs("AWS::CDK::Metadata", 0);
        Assert.False(stack.Json.TryGetProperty("Conditions", out var conditions) && conditions.TryGetProperty("CDKMetadataAvailable", out _));
    }

    [Fact]
    public void Alarms_have_a_topic_e_mailed_only_when_AlarmEmail_names_an_address()
    {
        var parameter = stack.Json.GetProperty("Parameters").GetProperty(Monitoring.AlarmEmailParameter);
        Assert.Equal(("String", string.Empty), (parameter.GetProperty("Type").GetString(), parameter.GetProperty("Default").GetString()));
        Assert.Single(stack.Resources("AWS::SNS::Topic"));

        var subscription = Assert.Single(stack.Resources("AWS::SNS::Subscription"));
        var properties = subscription.GetProperty("Properties");
        Assert.Equal(("email", Monitoring.AlarmEmailParameter, stack.LogicalId("AWS::SNS::Topic")),
            (properties.GetProperty("Protocol").GetString(), properties.GetProperty("Endpoint").GetProperty("Ref").GetString(), properties.GetProperty("TopicArn").GetProperty("Ref").GetString()));
        var condition = stack.Json.GetProperty("Conditions").GetProperty(subscription.GetProperty("Condition").GetString()!);
        var equals = condition.GetProperty("Fn::Not")[0].GetProperty("Fn::Equals");
        Assert.Equal((Monitoring.AlarmEmailParameter, string.Empty), (equals[0].GetProperty("Ref").GetString(), equals[1].GetString()));
    }

    [Fact]
    public void The_access_logs_429s_are_the_throttled_requests_metric()
    {
        var filter = stack.PropertiesOf("AWS::Logs::MetricFilter");
        var logGroups = stack.Json.GetProperty("Resources").EnumerateObject().Where(r => r.Value.GetProperty("Type").GetString() == "AWS::Logs::LogGroup").Select(r => r.Name).ToList();
        var stage = stack.PropertiesOf("AWS::ApiGatewayV2::Stage");
        var accessLogGroup = stage.GetProperty("AccessLogSettings").GetProperty("DestinationArn").GetProperty("Fn::GetAtt")[0].GetString();

        Assert.Contains(accessLogGroup, logGroups);
        Assert.Equal(accessLogGroup, filter.GetProperty("LogGroupName").GetProperty("Ref").GetString());
        Assert.Equal("{ $.status = \"429\" }", filter.GetProperty("FilterPattern").GetString());
        var metric = Assert.Single(filter.GetProperty("MetricTransformations").EnumerateArray());
        Assert.Equal((TapApplication.Monitoring.MetricNamespace, TapApplication.Monitoring.ThrottledRequestsMetric, "1", 0, "Count"), (metric.GetProperty("MetricNamespace").GetString(),
            metric.GetProperty("MetricName").GetString(), metric.GetProperty("MetricValue").GetString(), metric.GetProperty("DefaultValue").GetInt32(), metric.GetProperty("Unit").GetString()));
    }

    [Fact]
    public void Every_alarm_notifies_the_topic_when_it_fires_and_when_it_recovers_and_watches_its_own_resources_metric()
    {
        var topic = stack.LogicalId("AWS::SNS::Topic");
        var (api, function) = (stack.LogicalId("AWS::ApiGatewayV2::Api"), stack.LogicalId("AWS::Lambda::Function"));

        foreach (var alarm in stack.Resources("AWS::CloudWatch::Alarm").Select(a => a.GetProperty("Properties")))
        {
            foreach (var actions in (string[])["AlarmActions", "OKActions"])
            {
                Assert.Equal(topic, Assert.Single(alarm.GetProperty(actions).EnumerateArray()).GetProperty("Ref").GetString());
            }

            Assert.False(alarm.TryGetProperty("InsufficientDataActions", out _));
            var dimensions = alarm.TryGetProperty("Dimensions", out var d) ? d.EnumerateArray().ToDictionary(x => x.GetProperty("Name").GetString()!, x => x.GetProperty("Value")) : [];
            switch (alarm.GetProperty("Namespace").GetString())
            {
                case "AWS/ApiGateway":
                    Assert.Equal(api, dimensions["ApiId"].GetProperty("Ref").GetString());
                    Assert.Equal(TapApplication.HttpApi.Stage, dimensions["Stage"].GetString());
                    break;
                case "AWS/Lambda":
                    Assert.Equal(function, Assert.Single(dimensions).Value.GetProperty("Ref").GetString());
                    break;
                default:
                    Assert.Equal(TapApplication.Monitoring.MetricNamespace, alarm.GetProperty("Namespace").GetString());
                    Assert.Empty(dimensions);
                    break;
            }
        }
    }

    [Fact]
    public void The_dashboard_graphs_the_APIs_and_the_functions_metrics_and_shows_the_alarms()
    {
        // The body is a Fn::Join of JSON text and references: joined with each reference spelled out, it is the dashboard.
        var parts = stack.PropertiesOf("AWS::CloudWatch::Dashboard").GetProperty("DashboardBody").GetProperty("Fn::Join")[1].EnumerateArray().Select(part =>
            part.ValueKind == JsonValueKind.String ? part.GetString()
            : part.TryGetProperty("Ref", out var reference) ? $"Ref:{reference.GetString()}"
            : $"GetAtt:{part.GetProperty("Fn::GetAtt")[0].GetString()}");
        using var dashboard = JsonDocument.Parse(string.Concat(parts));
        var widgets = dashboard.RootElement.GetProperty("widgets").EnumerateArray().Select(w => w.GetProperty("properties")).ToList();

        var graphed = widgets.Where(w => w.TryGetProperty("metrics", out _)).SelectMany(w => w.GetProperty("metrics").EnumerateArray())
            .Select(m => (m[0].GetString(), m[1].GetString())).ToHashSet();
        Assert.Superset(graphed, new HashSet<(string?, string?)>(ApiMetrics.Select(m => ((string?)"AWS/ApiGateway", (string?)m))
            .Concat(FunctionMetrics.Select(m => ((string?)"AWS/Lambda", (string?)m)))
            .Append((TapApplication.Monitoring.MetricNamespace, TapApplication.Monitoring.ThrottledRequestsMetric))));
        var shown = widgets.Single(w => w.TryGetProperty("alarms", out _)).GetProperty("alarms").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal);
        var alarms = stack.Json.GetProperty("Resources").EnumerateObject().Where(r => r.Value.GetProperty("Type").GetString() == "AWS::CloudWatch::Alarm").Select(r => $"GetAtt:{r.Name}");
        Assert.Equal(alarms.Order(StringComparer.Ordinal), shown);
    }

    [Fact]
    public void The_outputs_say_where_everything_is()
    {
        var outputs = stack.Json.GetProperty("Outputs").EnumerateObject().Select(o => o.Name).ToHashSet();

        Assert.Superset(new HashSet<string> { "ApiUrl", "FunctionName", "SecretName", "SecretArn", "InvokerRoleArn", "InvokePolicyArn", "FunctionLogGroup", "AccessLogGroup", "AlarmTopicArn", "DashboardName" }, outputs);
        // The API's ApiEndpoint and the stage: AWS's https://{id}.execute-api.{region}.amazonaws.com/prod.
        var apiUrl = stack.Json.GetProperty("Outputs").GetProperty("ApiUrl").GetProperty("Value").GetProperty("Fn::Join")[1];
        Assert.Equal([stack.LogicalId("AWS::ApiGatewayV2::Api"), "ApiEndpoint"], apiUrl[0].GetProperty("Fn::GetAtt").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/prod", apiUrl[1].GetString());
    }
}
