using System.Text.Json;
using Tap.Definition;

namespace Tap.Infra.Tests;

/// <summary>
/// The synthesized TapStack is the definition: its routes, limits, names and permissions are the definition's.
/// (What runs locally is this template, deployed; the integration tests read it back from LocalAws.)
/// </summary>
[Collection(SynthesizedTemplateCollectionDefinition.Name)]
public sealed class DefinitionTests(SynthesizedTemplate stack)
{
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
    public void The_function_role_gets_the_definitions_actions_on_the_stacks_secret_only()
    {
        var statement = stack.Resources("AWS::IAM::Policy")
            .SelectMany(p => p.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            .Single(s => s.GetProperty("Action").ToString().Contains("secretsmanager:", StringComparison.Ordinal));

        Assert.Equal(TapApplication.FunctionRole.SecretActions.Order(StringComparer.Ordinal), Actions(statement));
        var secretId = statement.GetProperty("Resource").GetProperty("Ref").GetString()!;
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
    public void The_invoker_may_do_only_the_definitions_actions_and_is_trusted_with_the_external_id()
    {
        var invokeStatement = Assert.Single(stack.PropertiesOf("AWS::IAM::ManagedPolicy").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal(TapApplication.Invoker.Actions.Order(StringComparer.Ordinal), Actions(invokeStatement));

        var trust = stack.Resources("AWS::IAM::Role")
            .Select(r => r.GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement"))
            .SelectMany(s => s.EnumerateArray())
            .Single(s => s.TryGetProperty("Condition", out _));
        Assert.Equal(("Allow", "sts:AssumeRole"), (trust.GetProperty("Effect").GetString(), trust.GetProperty("Action").GetString()));
        Assert.Contains("\":root\"", trust.GetProperty("Principal").GetProperty("AWS").GetRawText(), StringComparison.Ordinal);
        Assert.True(trust.GetProperty("Condition").GetProperty("StringEquals").TryGetProperty(InvokerDefinition.ExternalIdConditionKey, out _));
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
