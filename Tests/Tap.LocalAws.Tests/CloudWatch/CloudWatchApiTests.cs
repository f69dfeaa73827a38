using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Tap.LocalAws.Tests.CloudWatch;

/// <summary>
/// CloudWatch's alarm and dashboard operations, in both protocols its clients speak (Query forms and RPC v2 CBOR
/// maps) over one store: CloudWatch's validation and errors, the state an alarm keeps, and its IAM actions.
/// </summary>
public sealed class CloudWatchApiTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private const string Version = "2010-08-01";

    private const string Service = "GraniteServiceVersion20100801";

    [Fact]
    public async Task An_alarm_put_over_Query_is_described_over_CBOR_with_its_values_typed()
    {
        var name = NewName("errors");
        await QueryOkAsync("PutMetricAlarm", [.. Alarm(name), ("AlarmActions.member.1", "arn:aws:sns:us-east-1:000000000000:alarms"),
            ("Dimensions.member.1.Name", "FunctionName"), ("Dimensions.member.1.Value", "api-handler"), ("TreatMissingData", "notBreaching")]);

        var described = await CborOkAsync("DescribeAlarms", new JsonObject { ["AlarmNames"] = new JsonArray(name) });

        var alarm = Assert.IsType<JsonObject>(Assert.Single(described["MetricAlarms"]!.AsArray()));
        Assert.Equal($"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{name}", alarm["AlarmArn"]!.GetValue<string>());
        Assert.Equal(("Errors", "AWS/Lambda", "Sum", "GreaterThanOrEqualToThreshold"),
            (Text(alarm, "MetricName"), Text(alarm, "Namespace"), Text(alarm, "Statistic"), Text(alarm, "ComparisonOperator")));
        Assert.Equal((300L, 1L, 1.0), (alarm["Period"]!.GetValue<long>(), alarm["EvaluationPeriods"]!.GetValue<long>(), alarm["Threshold"]!.GetValue<double>()));
        Assert.Equal(("INSUFFICIENT_DATA", "notBreaching", true), (Text(alarm, "StateValue"), Text(alarm, "TreatMissingData"), alarm["ActionsEnabled"]!.GetValue<bool>()));
        Assert.Equal(["arn:aws:sns:us-east-1:000000000000:alarms"], alarm["AlarmActions"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("api-handler", alarm["Dimensions"]![0]!["Value"]!.GetValue<string>());
        Assert.InRange(alarm["StateUpdatedTimestamp"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Putting_an_alarm_again_replaces_its_configuration_and_keeps_its_state()
    {
        var name = NewName("replaced");
        await CborOkAsync("PutMetricAlarm", CborAlarm(name, threshold: 1));
        await CborOkAsync("SetAlarmState", new JsonObject { ["AlarmName"] = name, ["StateValue"] = "ALARM", ["StateReason"] = "testing", ["StateReasonData"] = """{"version":"1.0"}""" });

        await QueryOkAsync("PutMetricAlarm", [.. Alarm(name).Where(p => p.Name != "Threshold"), ("Threshold", "7.5"), ("AlarmDescription", "replaced")]);

        var alarm = Assert.Single((await QueryOkAsync("DescribeAlarms", ("AlarmNames.member.1", name))).Descendants().Where(e => e.Name.LocalName == "MetricAlarms").Elements());
        Assert.Equal(("7.5", "replaced", "ALARM", "testing"), (Value(alarm, "Threshold"), Value(alarm, "AlarmDescription"), Value(alarm, "StateValue"), Value(alarm, "StateReason")));
        Assert.Equal([name], AlarmNames(await QueryOkAsync("DescribeAlarms", ("StateValue", "ALARM"), ("AlarmNamePrefix", name))));
        Assert.Empty(AlarmNames(await QueryOkAsync("DescribeAlarms", ("StateValue", "OK"), ("AlarmNamePrefix", name))));
    }

    [Theory]
    [InlineData("ComparisonOperator", null, "MissingParameter")]
    [InlineData("ComparisonOperator", "Bigger", "ValidationError")]
    [InlineData("Period", "45", "ValidationError")]
    [InlineData("Period", "sixty", "ValidationError")]
    [InlineData("EvaluationPeriods", "0", "ValidationError")]
    [InlineData("DatapointsToAlarm", "2", "ValidationError")]
    [InlineData("ExtendedStatistic", "p99", "InvalidParameterCombination")]
    [InlineData("Statistic", "Median", "ValidationError")]
    [InlineData("Threshold", null, "ValidationError")]
    [InlineData("Namespace", ":AWS", "ValidationError")]
    [InlineData("AlarmActions.member.1", "not-an-arn", "ValidationError")]
    [InlineData("TreatMissingData", "sometimes", "ValidationError")]
    public async Task A_bad_alarm_is_refused_in_CloudWatchs_words_and_nothing_is_stored(string member, string? value, string code)
    {
        var name = NewName("refused");
        var parameters = Alarm(name).Where(p => p.Name != member).ToList();
        if (value is not null)
        {
            parameters.Add((member, value));
        }

        var (status, xml) = await QueryAsync("PutMetricAlarm", [.. parameters]);

        Assert.Equal((HttpStatusCode.BadRequest, code), (status, Value(xml, "Code")));
        Assert.Empty(AlarmNames(await QueryOkAsync("DescribeAlarms", ("AlarmNames.member.1", name))));
    }

    [Fact]
    public async Task SetAlarmState_needs_an_existing_alarm_and_JSON_reason_data()
    {
        var name = NewName("state");
        var (status, body, queryError) = await CborAsync("SetAlarmState", new JsonObject { ["AlarmName"] = name, ["StateValue"] = "OK", ["StateReason"] = "r" });
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound", "ResourceNotFound;Sender"), (status, Text(body, "__type"), queryError));

        await CborOkAsync("PutMetricAlarm", CborAlarm(name, threshold: 1));
        (status, body, _) = await CborAsync("SetAlarmState", new JsonObject { ["AlarmName"] = name, ["StateValue"] = "OK", ["StateReason"] = "r", ["StateReasonData"] = "not json" });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidFormat"), (status, Text(body, "__type")));
    }

    [Fact]
    public async Task DeleteAlarms_deletes_the_named_alarms_that_exist_and_skips_the_others()
    {
        var (kept, deleted) = (NewName("kept"), NewName("deleted"));
        await CborOkAsync("PutMetricAlarm", CborAlarm(kept, threshold: 1));
        await CborOkAsync("PutMetricAlarm", CborAlarm(deleted, threshold: 1));

        await QueryOkAsync("DeleteAlarms", ("AlarmNames.member.1", deleted), ("AlarmNames.member.2", NewName("never")));

        var names = (await CborOkAsync("DescribeAlarms", new JsonObject { ["AlarmNames"] = new JsonArray(kept, deleted) }))["MetricAlarms"]!.AsArray().Select(a => Text(a!.AsObject(), "AlarmName"));
        Assert.Equal([kept], names);
    }

    [Fact]
    public async Task DescribeAlarms_pages_by_name()
    {
        var prefix = NewName("page");
        foreach (var i in Enumerable.Range(1, 3))
        {
            await CborOkAsync("PutMetricAlarm", CborAlarm($"{prefix}-{i}", threshold: i));
        }

        var first = await CborOkAsync("DescribeAlarms", new JsonObject { ["AlarmNamePrefix"] = prefix, ["MaxRecords"] = 2 });
        var second = await CborOkAsync("DescribeAlarms", new JsonObject { ["AlarmNamePrefix"] = prefix, ["MaxRecords"] = 2, ["NextToken"] = Text(first, "NextToken") });

        Assert.Equal([$"{prefix}-1", $"{prefix}-2", $"{prefix}-3"], first["MetricAlarms"]!.AsArray().Concat(second["MetricAlarms"]!.AsArray()).Select(a => Text(a!.AsObject(), "AlarmName")));
        Assert.Null(second["NextToken"]);
        var (status, body, _) = await CborAsync("DescribeAlarms", new JsonObject { ["NextToken"] = "bogus" });
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidNextToken"), (status, Text(body, "__type")));
    }

    [Fact]
    public async Task A_dashboard_is_put_read_listed_and_deleted()
    {
        var name = NewName("dash");
        const string body = """{"widgets":[{"type":"text","x":0,"y":0,"width":6,"height":2,"properties":{"markdown":"# Tap"}}]}""";

        var put = await CborOkAsync("PutDashboard", new JsonObject { ["DashboardName"] = name, ["DashboardBody"] = body });
        var read = await QueryOkAsync("GetDashboard", ("DashboardName", name));
        var listed = await CborOkAsync("ListDashboards", new JsonObject { ["DashboardNamePrefix"] = name });
        await QueryOkAsync("DeleteDashboards", ("DashboardNames.member.1", name));
        var (status, gone, _) = await CborAsync("GetDashboard", new JsonObject { ["DashboardName"] = name });

        Assert.Empty(put["DashboardValidationMessages"]!.AsArray());
        Assert.Equal((body, $"arn:aws:cloudwatch::000000000000:dashboard/{name}"), (Value(read, "DashboardBody"), Value(read, "DashboardArn")));
        var entry = Assert.IsType<JsonObject>(Assert.Single(listed["DashboardEntries"]!.AsArray()));
        Assert.Equal((name, (long)body.Length), (Text(entry, "DashboardName"), entry["Size"]!.GetValue<long>()));
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound"), (status, Text(gone, "__type")));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"widgets":[],"widgets":[]}""")]
    [InlineData("""{"start":"-PT3H"}""")]
    [InlineData("""{"widgets":[{"type":"graph","properties":{}}]}""")]
    [InlineData("""{"widgets":[{"type":"metric","properties":{"title":"no metrics"}}]}""")]
    [InlineData("""{"widgets":[{"type":"metric","x":"left","properties":{"metrics":[]}}]}""")]
    public async Task A_dashboard_body_CloudWatch_would_refuse_is_refused_and_nothing_is_stored(string body)
    {
        var name = NewName("bad");

        var (status, xml) = await QueryAsync("PutDashboard", ("DashboardName", name), ("DashboardBody", body));

        Assert.Equal((HttpStatusCode.BadRequest, "InvalidParameterInput"), (status, Value(xml, "Code")));
        Assert.Equal(HttpStatusCode.NotFound, (await QueryAsync("GetDashboard", ("DashboardName", name))).Status);
    }

    [Fact]
    public async Task DeleteDashboards_deletes_none_when_one_does_not_exist()
    {
        var name = NewName("dash");
        await CborOkAsync("PutDashboard", new JsonObject { ["DashboardName"] = name, ["DashboardBody"] = """{"widgets":[]}""" });

        var (status, xml) = await QueryAsync("DeleteDashboards", ("DashboardNames.member.1", name), ("DashboardNames.member.2", NewName("never")));

        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFound"), (status, Value(xml, "Code")));
        Assert.Equal(HttpStatusCode.OK, (await QueryAsync("GetDashboard", ("DashboardName", name))).Status);
    }

    [Fact]
    public async Task Tags_set_on_creation_are_listed_changed_and_removed_by_ARN()
    {
        var name = NewName("tagged");
        var arn = $"arn:aws:cloudwatch:us-east-1:000000000000:alarm:{name}";
        var input = CborAlarm(name, threshold: 1);
        input["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team", ["Value"] = "ops" });
        await CborOkAsync("PutMetricAlarm", input);

        await QueryOkAsync("TagResource", ("ResourceARN", arn), ("Tags.member.1.Key", "tier"), ("Tags.member.1.Value", "1"));
        await CborOkAsync("UntagResource", new JsonObject { ["ResourceARN"] = arn, ["TagKeys"] = new JsonArray("team") });
        var tags = (await CborOkAsync("ListTagsForResource", new JsonObject { ["ResourceARN"] = arn }))["Tags"]!.AsArray();
        var (status, body, _) = await CborAsync("ListTagsForResource", new JsonObject { ["ResourceARN"] = arn + "-missing" });

        Assert.Equal([("tier", "1")], tags.Select(t => (Text(t!.AsObject(), "Key"), Text(t!.AsObject(), "Value"))));
        Assert.Equal((HttpStatusCode.NotFound, "ResourceNotFoundException"), (status, Text(body, "__type")));
    }

    [Fact]
    public async Task A_caller_without_the_action_is_denied_in_the_protocol_it_spoke()
    {
        var name = NewName("denied");

        var (queryStatus, xml) = await QueryCalls.CallAsync(factory, TestPrincipals.Reader, "monitoring", Version, "PutMetricAlarm", Alarm(name));
        var (cborStatus, body, queryError) = await CborCalls.CallAsync(factory, TestPrincipals.Reader, "monitoring", Service, "PutMetricAlarm", CborAlarm(name, threshold: 1));

        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (queryStatus, Value(xml, "Code")));
        Assert.Contains($"cloudwatch:PutMetricAlarm on resource: arn:aws:cloudwatch:us-east-1:000000000000:alarm:{name}", Value(xml, "Message"), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied", "AccessDenied;Sender"), (cborStatus, Text(body, "__type"), queryError));
    }

    [Fact]
    public async Task An_unsigned_CBOR_call_and_an_unknown_operation_are_answered_in_CBOR()
    {
        var (unsigned, body, queryError) = await CborCalls.CallAsync(factory, null, "monitoring", Service, "DescribeAlarms", []);
        Assert.Equal((HttpStatusCode.Forbidden, "MissingAuthenticationToken", "MissingAuthenticationToken;Sender"), (unsigned, Text(body, "__type"), queryError));

        var (unknown, answer, _) = await CborAsync("PutMetricData", []);
        Assert.Equal((HttpStatusCode.NotFound, "UnknownOperationException"), (unknown, Text(answer, "__type")));
    }

    [Fact]
    public async Task Alarms_and_dashboards_survive_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("localaws-cloudwatch-").FullName;
        try
        {
            using (var first = new LocalAwsFactory { DataDirectory = directory })
            {
                await QueryCalls.CallAsync(first, TestPrincipals.Admin, "monitoring", Version, "PutMetricAlarm", Alarm("kept"));
                await QueryCalls.CallAsync(first, TestPrincipals.Admin, "monitoring", Version, "PutDashboard", ("DashboardName", "kept"), ("DashboardBody", """{"widgets":[]}"""));
            }

            using var restarted = new LocalAwsFactory { DataDirectory = directory };
            var (_, alarms) = await QueryCalls.CallAsync(restarted, TestPrincipals.Admin, "monitoring", Version, "DescribeAlarms");
            var (status, _) = await QueryCalls.CallAsync(restarted, TestPrincipals.Admin, "monitoring", Version, "GetDashboard", ("DashboardName", "kept"));
            Assert.Equal(["kept"], AlarmNames(alarms));
            Assert.Equal("1.0", Value(alarms, "Threshold"));
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    /// <summary>A valid alarm as Query parameters: the function's errors, summed over five minutes, at least 1.</summary>
    private static (string Name, string Value)[] Alarm(string name) =>
    [
        ("AlarmName", name), ("MetricName", "Errors"), ("Namespace", "AWS/Lambda"), ("Statistic", "Sum"), ("Period", "300"),
        ("EvaluationPeriods", "1"), ("Threshold", "1"), ("ComparisonOperator", "GreaterThanOrEqualToThreshold"),
    ];

    private static JsonObject CborAlarm(string name, double threshold) => new()
    {
        ["AlarmName"] = name,
        ["MetricName"] = "5xx",
        ["Namespace"] = "AWS/ApiGateway",
        ["Statistic"] = "Sum",
        ["Period"] = 60,
        ["EvaluationPeriods"] = 1,
        ["Threshold"] = threshold,
        ["ComparisonOperator"] = "GreaterThanThreshold",
    };

    private Task<(HttpStatusCode Status, XDocument Xml)> QueryAsync(string action, params (string Name, string Value)[] parameters) =>
        QueryCalls.CallAsync(factory, TestPrincipals.Admin, "monitoring", Version, action, parameters);

    private async Task<XDocument> QueryOkAsync(string action, params (string Name, string Value)[] parameters)
    {
        var (status, xml) = await QueryAsync(action, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {status} {xml}");
        return xml;
    }

    private Task<(HttpStatusCode Status, JsonObject Body, string? QueryError)> CborAsync(string operation, JsonObject input) =>
        CborCalls.CallAsync(factory, TestPrincipals.Admin, "monitoring", Service, operation, input);

    private async Task<JsonObject> CborOkAsync(string operation, JsonObject input)
    {
        var (status, body, _) = await CborAsync(operation, input);
        Assert.True(status == HttpStatusCode.OK, $"{operation}: {status} {body.ToJsonString()}");
        return body;
    }

    private static string Text(JsonObject document, string member) => document[member]!.GetValue<string>();

    private static List<string> AlarmNames(XDocument xml) => [.. xml.Descendants().Where(e => e.Name.LocalName == "AlarmName").Select(e => e.Value)];

    private static string Value(XContainer xml, string element) => xml.Descendants().First(e => e.Name.LocalName == element).Value;
}
