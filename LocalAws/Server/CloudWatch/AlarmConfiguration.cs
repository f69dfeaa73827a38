using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tap.LocalAws.CloudWatch;

/// <summary>
/// PutMetricAlarm's configuration as CloudWatch checks it: one metric with its statistic and period, or a metric
/// math query; CloudWatch's operators, units, periods and missing-data rules; a static threshold or an anomaly
/// band; up to five actions a state.
/// </summary>
internal static partial class AlarmConfiguration
{
    private static readonly string[] ComparisonOperators =
    [
        "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
        "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold",
    ];

    /// <summary>The operators that compare with an anomaly band (<c>ThresholdMetricId</c>) rather than a threshold.</summary>
    private static readonly string[] BandOperators = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];

    private static readonly string[] Statistics = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"];

    private static readonly string[] Units =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits",
        "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    private static readonly string[] MissingData = ["breaching", "notBreaching", "ignore", "missing"];

    /// <summary>PutMetricAlarm's members, checked and typed as DescribeAlarms gives them back.</summary>
    public static JsonObject Read(CloudWatchInput input)
    {
        var configuration = new JsonObject();
        void Set(string member, JsonNode? value)
        {
            if (value is not null)
            {
                configuration[member] = value;
            }
        }

        var comparison = input.Enum("ComparisonOperator", ComparisonOperators) ?? throw CloudWatchErrors.MissingParameter("ComparisonOperator");
        var evaluationPeriods = input.Whole("EvaluationPeriods", min: 1) ?? throw CloudWatchErrors.MissingParameter("EvaluationPeriods");
        var datapoints = input.Whole("DatapointsToAlarm", min: 1);
        if (datapoints > evaluationPeriods)
        {
            throw CloudWatchErrors.Validation("DatapointsToAlarm must be less than or equal to EvaluationPeriods.");
        }

        Set("AlarmDescription", input.Text("AlarmDescription", 0, 1024));
        Set("ActionsEnabled", input.Flag("ActionsEnabled") ?? true);
        foreach (var list in CloudWatchService.ActionLists)
        {
            var actions = input.Texts(list, maxItems: 5);
            if (actions.FirstOrDefault(a => !ActionArn().IsMatch(a)) is { } invalid)
            {
                throw CloudWatchErrors.Validation($"Invalid arn syntax: {invalid}");
            }

            Set(list, new JsonArray([.. actions.Distinct(StringComparer.Ordinal).Select(a => (JsonNode)a)]));
        }

        var metrics = input.Structures("Metrics", maxItems: 20);
        var single = input.Text("MetricName") is not null || input.Text("Namespace") is not null;
        if (metrics.Count > 0 && single)
        {
            throw CloudWatchErrors.InvalidParameterCombination("MetricName, Namespace and Metrics cannot be specified together.");
        }

        if (metrics.Count > 0)
        {
            Set("Metrics", MetricQueries(metrics));
        }
        else
        {
            Set("MetricName", input.Text("MetricName", 1, 255) ?? throw CloudWatchErrors.MissingParameter("MetricName"));
            Set("Namespace", Namespace(input, "Namespace") ?? throw CloudWatchErrors.MissingParameter("Namespace"));
            Set("Dimensions", Dimensions(input));
            var (statistic, extended) = (input.Enum("Statistic", Statistics), input.Text("ExtendedStatistic"));
            if ((statistic is null) == (extended is null))
            {
                throw CloudWatchErrors.InvalidParameterCombination("Exactly one of Statistic and ExtendedStatistic must be specified.");
            }

            if (extended is not null && !ExtendedStatistic().IsMatch(extended))
            {
                throw CloudWatchErrors.InvalidParameterValue($"The value {extended} for parameter ExtendedStatistic is not supported.");
            }

            Set("Statistic", statistic);
            Set("ExtendedStatistic", extended);
            Set("Period", Period(input) ?? throw CloudWatchErrors.MissingParameter("Period"));
            Set("Unit", input.Enum("Unit", Units));
        }

        var thresholdMetric = input.Text("ThresholdMetricId", 1, 255);
        var threshold = input.Number("Threshold");
        if (BandOperators.Contains(comparison, StringComparer.Ordinal)
            ? thresholdMetric is null || threshold is not null
            : thresholdMetric is not null || threshold is null)
        {
            throw CloudWatchErrors.Validation(BandOperators.Contains(comparison, StringComparer.Ordinal)
                ? $"ComparisonOperator {comparison} requires ThresholdMetricId and no Threshold."
                : "Threshold is required for a static threshold alarm; ThresholdMetricId is for anomaly detection alarms.");
        }

        Set("EvaluationPeriods", evaluationPeriods);
        Set("DatapointsToAlarm", datapoints);
        Set("Threshold", threshold);
        Set("ThresholdMetricId", thresholdMetric);
        Set("ComparisonOperator", comparison);
        Set("TreatMissingData", input.Enum("TreatMissingData", MissingData));
        var lowSample = input.Enum("EvaluateLowSampleCountPercentile", ["evaluate", "ignore"]);
        if (lowSample is not null && configuration["ExtendedStatistic"] is null)
        {
            throw CloudWatchErrors.InvalidParameterCombination("EvaluateLowSampleCountPercentile applies only to a percentile ExtendedStatistic.");
        }

        Set("EvaluateLowSampleCountPercentile", lowSample);
        return configuration;
    }

    private static JsonArray MetricQueries(IReadOnlyList<CloudWatchInput> queries)
    {
        var result = new JsonArray();
        foreach (var query in queries)
        {
            var item = new JsonObject { ["Id"] = query.RequiredText("Id", 1, 255) };
            var stat = query.Structure("MetricStat");
            var expression = query.Text("Expression", 1, 2048);
            if ((stat is null) == (expression is null))
            {
                throw CloudWatchErrors.Validation("Exactly one of MetricStat and Expression must be specified in each metric query.");
            }

            if (stat is not null)
            {
                var metric = stat.Structure("Metric") ?? throw CloudWatchErrors.MissingParameter("MetricStat.Metric");
                item["MetricStat"] = new JsonObject
                {
                    ["Metric"] = new JsonObject
                    {
                        ["Namespace"] = Namespace(metric, "Namespace") ?? throw CloudWatchErrors.MissingParameter("MetricStat.Metric.Namespace"),
                        ["MetricName"] = metric.RequiredText("MetricName", 1, 255),
                        ["Dimensions"] = Dimensions(metric),
                    },
                    ["Period"] = Period(stat) ?? throw CloudWatchErrors.MissingParameter("MetricStat.Period"),
                    ["Stat"] = stat.RequiredText("Stat"),
                };
                if (stat.Enum("Unit", Units) is { } unit)
                {
                    item["MetricStat"]!["Unit"] = unit;
                }
            }
            else
            {
                item["Expression"] = expression;
                if (Period(query) is { } period)
                {
                    item["Period"] = period;
                }
            }

            if (query.Text("Label") is { } label)
            {
                item["Label"] = label;
            }

            item["ReturnData"] = query.Flag("ReturnData") ?? true;
            if (query.Text("AccountId", 1, 255) is { } account)
            {
                item["AccountId"] = account;
            }

            result.Add(item);
        }

        if (result.Count(q => q!["ReturnData"]!.GetValue<bool>()) != 1)
        {
            throw CloudWatchErrors.Validation("Exactly one element of the metrics list should return data.");
        }

        return result;
    }

    private static JsonArray Dimensions(CloudWatchInput input) =>
        [.. input.Structures("Dimensions", maxItems: 30).Select(d => (JsonNode)new JsonObject
        {
            ["Name"] = d.RequiredText("Name", 1, 255),
            ["Value"] = d.RequiredText("Value", 1, 1024),
        })];

    private static string? Namespace(CloudWatchInput input, string member)
    {
        var value = input.Text(member, 1, 255);
        return value is null || !value.StartsWith(':') ? value : throw CloudWatchErrors.Validation("The value for parameter Namespace must not begin with ':'.");
    }

    /// <summary>A period in seconds: 10, 20 or 30 (high resolution), or a multiple of 60.</summary>
    private static int? Period(CloudWatchInput input)
    {
        var period = input.Whole("Period", min: 1);
        return period is null or 10 or 20 or 30 || period % 60 == 0
            ? period
            : throw CloudWatchErrors.Validation("The parameter Period must be 10, 20, 30 or a multiple of 60.");
    }

    /// <summary>The targets an alarm may act on: SNS topics, EC2 and Auto Scaling actions, Systems Manager and Lambda.</summary>
    [GeneratedRegex(@"^arn:aws[a-z-]*:(sns|automate|autoscaling|ssm|ssm-incidents|lambda):[a-z0-9-]*:[0-9]*:.+$")]
    private static partial Regex ActionArn();

    [GeneratedRegex(@"^(p|tm|wm|tc|ts|pr)(\d{1,2}(\.\d{1,10})?|100)$|^(TM|WM|TC|TS|PR)\(.+\)$")]
    private static partial Regex ExtendedStatistic();
}
