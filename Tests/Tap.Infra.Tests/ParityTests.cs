using System.Text.Json;
using Tap.Definition;

namespace Tap.Infra.Tests;

/// <summary>
/// Local and cloud are one shape: the synthesized TapStack, the definition, and what the local side is given (the
/// policy documents LocalAws evaluates, the AppHost's environment) agree on routes, limits, names and permissions.
/// Changing any one side alone fails here.
/// </summary>
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class ParityTests(SynthesizedTemplate stack)
{
    private const string LocalAccount = "000000000000";
    private const string LocalRegion = "us-east-1";

    [Fact]
    public void Routes_and_their_authorization_match_the_definition()
    {
        var cloud = stack.Resources("AWS::ApiGatewayV2::Route")
            .Select(r => r.GetProperty("Properties"))
            .Select(r => (r.GetProperty("RouteKey").GetString(), r.GetProperty("AuthorizationType").GetString()))
            .Order();

        Assert.Equal(TapApplication.HttpApi.Routes.Select(r => ((string?)r.RouteKey, (string?)r.AuthorizationType)).Order(), cloud);
    }

    [Fact]
    public void Stage_throttling_detailed_metrics_and_access_log_format_match_the_definition()
    {
        var stage = stack.PropertiesOf("AWS::ApiGatewayV2::Stage");
        var settings = stage.GetProperty("DefaultRouteSettings");

        Assert.Equal(TapApplication.HttpApi.Stage, stage.GetProperty("StageName").GetString());
        Assert.Equal(TapApplication.HttpApi.Throttle.RateLimit, settings.GetProperty("ThrottlingRateLimit").GetDouble());
        Assert.Equal(TapApplication.HttpApi.Throttle.BurstLimit, settings.GetProperty("ThrottlingBurstLimit").GetInt32());
        Assert.Equal(TapApplication.HttpApi.AccessLogFormat, stage.GetProperty("AccessLogSettings").GetProperty("Format").GetString());
        Assert.Equal(TapApplication.HttpApi.DetailedMetrics, settings.GetProperty("DetailedMetricsEnabled").GetBoolean());
    }

    [Fact]
    public void Memory_timeout_and_declared_environment_match_the_definition()
    {
        var function = stack.PropertiesOf("AWS::Lambda::Function");

        Assert.Equal(TapApplication.Function.MemorySize, function.GetProperty("MemorySize").GetInt32());
        Assert.Equal(TapApplication.Function.Timeout.TotalSeconds, function.GetProperty("Timeout").GetDouble());
        Assert.Equal(TapApplication.Function.Runtime, function.GetProperty("Runtime").GetString());
        Assert.Equal(TapApplication.Function.Handler, function.GetProperty("Handler").GetString());
        Assert.Equal(
            TapApplication.Function.EnvironmentVariables.Order(StringComparer.Ordinal),
            function.GetProperty("Environment").GetProperty("Variables").EnumerateObject().Select(v => v.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_function_role_gets_the_same_actions_on_the_same_secret_locally_and_in_the_cloud()
    {
        using var local = JsonDocument.Parse(TapApplication.FunctionRole.SecretPolicy(TapApplication.Secret, LocalRegion, LocalAccount));
        var localStatement = Assert.Single(local.RootElement.GetProperty("Statement").EnumerateArray());
        var cloudStatement = stack.Resources("AWS::IAM::Policy")
            .SelectMany(p => p.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .Single(s => s.GetProperty("Action").ToString().Contains("secretsmanager:", StringComparison.Ordinal));

        Assert.Equal(Actions(localStatement), Actions(cloudStatement));
        Assert.Equal(TapApplication.FunctionRole.SecretActions.Order(StringComparer.Ordinal), Actions(cloudStatement));

        // The same secret: locally its ARN pattern (the suffix AWS adds is unknown beforehand), in the cloud a Ref to
        // the secret whose name is the definition's, suffixed with the environment.
        Assert.Equal(TapApplication.Secret.ArnPattern(LocalRegion, LocalAccount), localStatement.GetProperty("Resource").GetString());
        var secretId = cloudStatement.GetProperty("Resource").GetProperty("Ref").GetString()!;
        var secret = stack.Json.GetProperty("Resources").GetProperty(secretId).GetProperty("Properties");
        Assert.Equal($"{TapApplication.Secret.Name}-{SynthesizedTemplate.EnvironmentName}", secret.GetProperty("Name").GetString());
    }

    [Fact]
    public void The_secret_holds_the_definitions_keys()
    {
        var generate = stack.PropertiesOf("AWS::SecretsManager::Secret").GetProperty("GenerateSecretString");
        using var template = JsonDocument.Parse(generate.GetProperty("SecretStringTemplate").GetString()!);
        var keys = template.RootElement.EnumerateObject().Select(k => k.Name).Append(generate.GetProperty("GenerateStringKey").GetString()!);

        Assert.Equal(TapApplication.Secret.Keys.Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_invoker_may_do_the_same_and_is_trusted_the_same_way_locally_and_in_the_cloud()
    {
        var invokeStatement = Assert.Single(stack.PropertiesOf("AWS::IAM::ManagedPolicy").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal(TapApplication.Invoker.Actions.Order(StringComparer.Ordinal), Actions(invokeStatement));

        using var local = JsonDocument.Parse(InvokerDefinition.TrustPolicy(LocalAccount, "external-id"));
        var localTrust = Assert.Single(local.RootElement.GetProperty("Statement").EnumerateArray());
        var cloudTrust = stack.Resources("AWS::IAM::Role")
            .Select(r => r.GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement"))
            .SelectMany(s => s.EnumerateArray())
            .Single(s => s.TryGetProperty("Condition", out _));

        Assert.Equal(localTrust.GetProperty("Effect").GetString(), cloudTrust.GetProperty("Effect").GetString());
        Assert.Equal(localTrust.GetProperty("Action").GetString(), cloudTrust.GetProperty("Action").GetString());
        Assert.EndsWith(":root", localTrust.GetProperty("Principal").GetProperty("AWS").GetString(), StringComparison.Ordinal);
        Assert.Contains("\":root\"", cloudTrust.GetProperty("Principal").GetProperty("AWS").GetRawText(), StringComparison.Ordinal);
        Assert.Equal(
            localTrust.GetProperty("Condition").EnumerateObject().Select(o => (o.Name, string.Join(",", o.Value.EnumerateObject().Select(k => k.Name)))),
            cloudTrust.GetProperty("Condition").EnumerateObject().Select(o => (o.Name, string.Join(",", o.Value.EnumerateObject().Select(k => k.Name)))));
    }

    [Fact]
    public void Each_alarm_has_the_definitions_metric_threshold_and_periods()
    {
        var cloud = stack.Resources("AWS::CloudWatch::Alarm").Select(a => a.GetProperty("Properties"))
            .ToDictionary(a => a.GetProperty("AlarmName").GetString()![(stack.Stack.StackName.Length + 1)..]);

        Assert.Equal(TapApplication.Monitoring.Alarms.Select(a => a.Name).Order(StringComparer.Ordinal), cloud.Keys.Order(StringComparer.Ordinal));
        foreach (var alarm in TapApplication.Monitoring.Alarms)
        {
            var deployed = cloud[alarm.Name];
            Assert.Equal(
                (alarm.MetricName, alarm.Statistic, alarm.Threshold, (int)alarm.Period.TotalSeconds, alarm.EvaluationPeriods, alarm.DatapointsToAlarm, AlarmDefinition.ComparisonOperator, AlarmDefinition.TreatMissingData, alarm.Description),
                (deployed.GetProperty("MetricName").GetString(), deployed.GetProperty("Statistic").GetString(), deployed.GetProperty("Threshold").GetDouble(), deployed.GetProperty("Period").GetInt32(),
                    deployed.GetProperty("EvaluationPeriods").GetInt32(), deployed.GetProperty("DatapointsToAlarm").GetInt32(), deployed.GetProperty("ComparisonOperator").GetString(),
                    deployed.GetProperty("TreatMissingData").GetString(), deployed.GetProperty("AlarmDescription").GetString()));
        }
    }

    private static IEnumerable<string> Actions(JsonElement statement)
    {
        var action = statement.GetProperty("Action");
        var actions = action.ValueKind == JsonValueKind.Array ? action.EnumerateArray().Select(a => a.GetString()!) : [action.GetString()!];
        return actions.Order(StringComparer.Ordinal);
    }
}
