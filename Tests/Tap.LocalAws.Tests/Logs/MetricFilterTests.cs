using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Tap.Aws.Protocol;
using Tap.LocalAws.Tests.CloudFormation;

namespace Tap.LocalAws.Tests.Logs;

/// <summary>
/// A log group's metric filters through CloudWatch Logs' own operations, and as CloudFormation makes them: the
/// throttle filter a stage's JSON access log takes (<c>{ $.status = 429 }</c>), its metric, and CloudWatch Logs' errors.
/// </summary>
public sealed class MetricFilterTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private const string Throttled = """{"filterName":"throttled","filterPattern":"{ $.status = 429 }","metricTransformations":[{"metricName":"ThrottledRequests","metricNamespace":"Tap/HttpApi","metricValue":"1","defaultValue":0,"unit":"Count"}]}""";

    [Fact]
    public async Task A_filter_is_put_described_counted_replaced_and_deleted()
    {
        var group = await CreateGroupAsync();
        await factory.OkJsonAsync(AwsServiceMetadata.Logs, "PutMetricFilter", Throttled.Insert(1, $"\"logGroupName\":\"{group}\","));

        var filter = Assert.Single((await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"{{group}}"}""")).GetProperty("metricFilters").EnumerateArray());
        Assert.Equal(("throttled", "{ $.status = 429 }", group), (filter.GetProperty("filterName").GetString(), filter.GetProperty("filterPattern").GetString(), filter.GetProperty("logGroupName").GetString()));
        var metric = Assert.Single(filter.GetProperty("metricTransformations").EnumerateArray());
        Assert.Equal(("ThrottledRequests", "Tap/HttpApi", "1", 0.0, "Count"), (metric.GetProperty("metricName").GetString(), metric.GetProperty("metricNamespace").GetString(),
            metric.GetProperty("metricValue").GetString(), metric.GetProperty("defaultValue").GetDouble(), metric.GetProperty("unit").GetString()));
        var byMetric = (await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", """{"metricName":"ThrottledRequests","metricNamespace":"Tap/HttpApi"}""")).GetProperty("metricFilters");
        Assert.Contains(byMetric.EnumerateArray(), f => f.GetProperty("logGroupName").GetString() == group);
        Assert.Equal(1, GroupOf(await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeLogGroups", $$"""{"logGroupNamePrefix":"{{group}}"}""")).GetProperty("metricFilterCount").GetInt32());

        // The same name again replaces it.
        await factory.OkJsonAsync(AwsServiceMetadata.Logs, "PutMetricFilter", Throttled.Insert(1, $"\"logGroupName\":\"{group}\",").Replace("429", "503", StringComparison.Ordinal));
        filter = Assert.Single((await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"{{group}}"}""")).GetProperty("metricFilters").EnumerateArray());
        Assert.Equal("{ $.status = 503 }", filter.GetProperty("filterPattern").GetString());

        await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DeleteMetricFilter", $$"""{"logGroupName":"{{group}}","filterName":"throttled"}""");
        Assert.Empty((await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"{{group}}"}""")).GetProperty("metricFilters").EnumerateArray());
        Assert.Equal("ResourceNotFoundException", (await factory.CallJsonAsync(AwsServiceMetadata.Logs, "DeleteMetricFilter", $$"""{"logGroupName":"{{group}}","filterName":"throttled"}""")).Type);
    }

    [Theory]
    [InlineData("""{"filterPattern":"{ status = 429 ","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"1"}]}""", "InvalidParameterException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M:1","metricNamespace":"N","metricValue":"1"}]}""", "ValidationException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"1","unit":"Furlongs"}]}""", "ValidationException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"one"}]}""", "InvalidParameterException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"1","defaultValue":0,"dimensions":{"a":"$.a"}}]}""", "InvalidParameterException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[]}""", "ValidationException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"1","dimensions":{"a":1}}]}""", "SerializationException")]
    [InlineData("""{"filterPattern":"","metricTransformations":[{"metricName":"M","metricNamespace":"N","metricValue":"1","defaultValue":"zero"}]}""", "SerializationException")]
    public async Task A_filter_CloudWatch_Logs_would_refuse_is_refused_and_nothing_is_kept(string body, string error)
    {
        var group = await CreateGroupAsync();

        var (status, type, _) = await factory.CallJsonAsync(AwsServiceMetadata.Logs, "PutMetricFilter", body.Insert(1, $"\"logGroupName\":\"{group}\",\"filterName\":\"f\","));

        Assert.Equal((HttpStatusCode.BadRequest, error), (status, type));
        Assert.Empty((await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"{{group}}"}""")).GetProperty("metricFilters").EnumerateArray());
    }

    [Fact]
    public async Task A_filter_on_a_group_that_does_not_exist_is_ResourceNotFound()
    {
        var (status, type, _) = await factory.CallJsonAsync(AwsServiceMetadata.Logs, "PutMetricFilter", Throttled.Insert(1, "\"logGroupName\":\"/no/such/group\","));

        Assert.Equal((HttpStatusCode.BadRequest, "ResourceNotFoundException"), (status, type));
    }

    [Fact]
    public async Task CloudFormation_makes_an_access_logs_throttle_filter_updates_its_pattern_in_place_and_removes_it()
    {
        var stack = "filters-" + Guid.NewGuid().ToString("N")[..8];
        var template = $$$"""
            Resources:
              AccessLogs: {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: '/{{{stack}}}/access'}}
              Throttled:
                Type: 'AWS::Logs::MetricFilter'
                Properties:
                  LogGroupName: !Ref AccessLogs
                  FilterPattern: '{ $.status = {0} }'
                  MetricTransformations: [{MetricName: ThrottledRequests, MetricNamespace: Tap/HttpApi, MetricValue: '1', DefaultValue: 0, Unit: Count}]
            Outputs:
              FilterName: {Value: !Ref Throttled}
            """;
        var runner = factory.Services.GetRequiredService<Tap.LocalAws.CloudFormation.StackOperationRunner>();
        await Cfn("CreateStack", ("StackName", stack), ("TemplateBody", template.Replace("{0}", "429", StringComparison.Ordinal)));
        await runner.WhenIdleAsync();
        Assert.Equal("{ $.status = 429 }", (await FiltersAsync($"/{stack}/access")).Single().GetProperty("filterPattern").GetString());

        await Cfn("UpdateStack", ("StackName", stack), ("TemplateBody", template.Replace("{0}", "503", StringComparison.Ordinal)));
        await runner.WhenIdleAsync();
        var (_, described) = await Cfn("DescribeStacks", ("StackName", stack));
        Assert.Equal("UPDATE_COMPLETE", described.Descendants(CloudFormationQuery.Ns + "StackStatus").Single().Value);
        var filter = (await FiltersAsync($"/{stack}/access")).Single();
        Assert.Equal("{ $.status = 503 }", filter.GetProperty("filterPattern").GetString());
        Assert.Equal(described.Descendants(CloudFormationQuery.Ns + "OutputValue").Single().Value, filter.GetProperty("filterName").GetString());

        await Cfn("DeleteStack", ("StackName", stack));
        await runner.WhenIdleAsync();
        Assert.Equal("ResourceNotFoundException", (await factory.CallJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"/{{stack}}/access"}""")).Type);
    }

    [Fact]
    public async Task A_DefaultValue_that_is_no_number_fails_the_filter_in_words_and_rolls_the_stack_back()
    {
        var stack = "filters-" + Guid.NewGuid().ToString("N")[..8];
        await Cfn("CreateStack", ("StackName", stack), ("TemplateBody", $$$"""
            Resources:
              Logs: {Type: 'AWS::Logs::LogGroup', Properties: {LogGroupName: '/{{{stack}}}/access'}}
              Filter:
                Type: 'AWS::Logs::MetricFilter'
                Properties: {LogGroupName: !Ref Logs, FilterPattern: '', MetricTransformations: [{MetricName: M, MetricNamespace: N, MetricValue: '1', DefaultValue: zero}]}
            """));
        await factory.Services.GetRequiredService<Tap.LocalAws.CloudFormation.StackOperationRunner>().WhenIdleAsync();

        var (_, described) = await Cfn("DescribeStacks", ("StackName", stack));
        Assert.Equal("ROLLBACK_COMPLETE", described.Descendants(CloudFormationQuery.Ns + "StackStatus").Single().Value);
        var (_, events) = await Cfn("DescribeStackEvents", ("StackName", stack));
        var failed = events.Descendants(CloudFormationQuery.Ns + "member").Single(e => e.Element(CloudFormationQuery.Ns + "ResourceStatus")!.Value == "CREATE_FAILED");
        Assert.Contains("DefaultValue must be a number", failed.Element(CloudFormationQuery.Ns + "ResourceStatusReason")!.Value, StringComparison.Ordinal);
        Assert.Equal("ResourceNotFoundException", (await factory.CallJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"/{{stack}}/access"}""")).Type);
    }

    private async Task<List<System.Text.Json.JsonElement>> FiltersAsync(string group) =>
        [.. (await factory.OkJsonAsync(AwsServiceMetadata.Logs, "DescribeMetricFilters", $$"""{"logGroupName":"{{group}}"}""")).GetProperty("metricFilters").EnumerateArray()];

    private Task<(HttpStatusCode Status, System.Xml.Linq.XDocument Xml)> Cfn(string action, params (string Name, string Value)[] parameters) =>
        CloudFormationQuery.CallAsync(factory, TestPrincipals.Admin, action, parameters);

    private async Task<string> CreateGroupAsync()
    {
        var group = "/filters/" + Guid.NewGuid().ToString("N")[..8];
        await factory.OkJsonAsync(AwsServiceMetadata.Logs, "CreateLogGroup", $$"""{"logGroupName":"{{group}}"}""");
        return group;
    }

    private static System.Text.Json.JsonElement GroupOf(System.Text.Json.JsonElement described) => Assert.Single(described.GetProperty("logGroups").EnumerateArray());
}
