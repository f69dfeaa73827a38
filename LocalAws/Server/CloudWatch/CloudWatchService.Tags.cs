using System.Text.Json.Nodes;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.CloudWatch;

/// <summary>Tags on alarms and dashboards, by ARN. (PutMetricAlarm's and PutDashboard's tags apply only when they create.)</summary>
internal sealed partial class CloudWatchService
{
    private const int MaxTags = 50;

    public JsonObject TagResource(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var arn = input.RequiredText("ResourceARN", 1, 1024);
        var tags = Tags(input);
        if (tags.Count == 0)
        {
            throw CloudWatchErrors.MissingParameter("Tags");
        }

        access.DemandOperation(arn);
        ChangeTags(arn, current =>
        {
            var next = new Dictionary<string, string>(current, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                next[key] = value;
            }

            return next.Count <= MaxTags ? next : throw CloudWatchErrors.InvalidParameterValue($"A resource can have at most {MaxTags} tags.");
        });
        return [];
    }

    public JsonObject UntagResource(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var arn = input.RequiredText("ResourceARN", 1, 1024);
        var keys = input.Texts("TagKeys", maxItems: MaxTags);
        access.DemandOperation(arn);
        ChangeTags(arn, current => current.Where(t => !keys.Contains(t.Key, StringComparer.Ordinal)).ToDictionary(StringComparer.Ordinal));
        return [];
    }

    public JsonObject ListTagsForResource(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var arn = input.RequiredText("ResourceARN", 1, 1024);
        access.DemandOperation(arn);
        var tags = ResourceOf(arn) switch
        {
            ("alarm", var name) => FindAlarm(name)?.Tags,
            ("dashboard", var name) => FindDashboard(name)?.Tags,
            _ => null,
        } ?? throw NoSuchResource(arn);
        return new JsonObject
        {
            ["Tags"] = new JsonArray([.. tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, ["Value"] = t.Value })]),
        };
    }

    private void ChangeTags(string arn, Func<IReadOnlyDictionary<string, string>, Dictionary<string, string>> change)
    {
        switch (ResourceOf(arn))
        {
            case ("alarm", var name):
                _alarms.Change(name, current => current is null ? throw NoSuchResource(arn) : (current with { Tags = change(current.Tags) }, true));
                break;
            case ("dashboard", var name):
                _dashboards.Change(name, current => current is null ? throw NoSuchResource(arn) : (current with { Tags = change(current.Tags) }, true));
                break;
            default:
                throw NoSuchResource(arn);
        }
    }

    /// <summary>The kind and name an ARN of this account names (an alarm in this region, or a dashboard).</summary>
    private (string Kind, string Name) ResourceOf(string arn)
    {
        var alarmPrefix = AlarmArn(string.Empty);
        var dashboardPrefix = DashboardArn(string.Empty);
        return arn.StartsWith(alarmPrefix, StringComparison.Ordinal) ? ("alarm", arn[alarmPrefix.Length..])
            : arn.StartsWith(dashboardPrefix, StringComparison.Ordinal) ? ("dashboard", arn[dashboardPrefix.Length..])
            : (string.Empty, string.Empty);
    }

    private static Protocols.AwsServiceException NoSuchResource(string arn) =>
        CloudWatchErrors.ResourceNotFoundException($"The resource {arn} does not exist.");
}
