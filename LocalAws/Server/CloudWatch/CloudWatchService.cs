using System.Text.Json.Nodes;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.CloudWatch;

/// <summary>
/// CloudWatch's alarms and dashboards, with CloudWatch's validation, errors and <c>cloudwatch:</c> actions, each
/// operation over the protocol-neutral document its request carried. Durable with a data directory, one file per
/// alarm in <c>cloudwatch/alarms</c> and per dashboard in <c>cloudwatch/dashboards</c>. No metric data is stored
/// (LocalAws exports its metrics over OTLP), so an alarm's state changes only through SetAlarmState, and nothing
/// is notified.
/// </summary>
internal sealed partial class CloudWatchService(LocalAwsSettings settings, ILogger<CloudWatchService> logger) : IDisposable
{
    private const int DefaultMaxRecords = 50;

    private static readonly string[] States = ["OK", "ALARM", "INSUFFICIENT_DATA"];

    /// <summary>An alarm's three lists of actions, one for each state it can enter.</summary>
    internal static readonly string[] ActionLists = ["OKActions", "AlarmActions", "InsufficientDataActions"];

    private readonly RecordStore<MetricAlarm> _alarms = new(settings.DataDirectory, Path.Combine("cloudwatch", "alarms"), ".alarm", format: 1, a => a.Name, _ => null, logger);

    private readonly RecordStore<Dashboard> _dashboards = new(settings.DataDirectory, Path.Combine("cloudwatch", "dashboards"), ".dashboard", format: 1, d => d.Name, _ => null, logger);

    public string AlarmArn(string name) => $"arn:aws:cloudwatch:{settings.Region}:{settings.AccountId}:alarm:{name}";

    public MetricAlarm? FindAlarm(string name) => _alarms.Find(name);

    /// <summary>Creates the alarm, or replaces its whole configuration (its state and tags stay, as in CloudWatch).</summary>
    public JsonObject PutMetricAlarm(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var name = input.RequiredText("AlarmName", 1, 255);
        var configuration = AlarmConfiguration.Read(input);
        var tags = Tags(input);
        access.DemandOperation(AlarmArn(name));
        if (tags.Count > 0 && FindAlarm(name) is null)
        {
            access.Demand("cloudwatch:TagResource", AlarmArn(name));
        }

        var now = DateTimeOffset.UtcNow;
        _alarms.Change(name, current =>
        {
            var alarm = current is null
                ? new MetricAlarm(name, AlarmArn(name), configuration, "INSUFFICIENT_DATA", "Unchecked: Initial alarm creation", null, now, now, now, tags)
                : current with { Configuration = configuration, ConfigurationUpdatedTimestamp = now };
            return (alarm, true);
        });
        return [];
    }

    /// <summary>One page of metric alarms by name: those named, or with the prefix, in the state, with an action of the prefix.</summary>
    public JsonObject DescribeAlarms(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var names = input.Texts("AlarmNames", maxItems: 100);
        var prefix = input.Text("AlarmNamePrefix", 1, 255);
        if (names.Count > 0 && prefix is not null)
        {
            throw CloudWatchErrors.InvalidParameterCombination("AlarmNames and AlarmNamePrefix cannot be specified together.");
        }

        var state = input.Enum("StateValue", States);
        var actionPrefix = input.Text("ActionPrefix", 1, 1024);
        var types = input.Texts("AlarmTypes");
        if (types.FirstOrDefault(t => t is not ("MetricAlarm" or "CompositeAlarm")) is not null)
        {
            throw CloudWatchErrors.Validation("1 validation error detected: Value at 'alarmTypes' failed to satisfy constraint: Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]");
        }

        var maxRecords = input.Whole("MaxRecords", 1, 100) ?? DefaultMaxRecords;
        access.DemandOperation(AlarmArn("*"));

        // Without AlarmTypes only metric alarms are listed; LocalAws has no composite alarms to list.
        var matching = types.Count > 0 && !types.Contains("MetricAlarm")
            ? []
            : _alarms.All()
                .Where(a => names.Count == 0 || names.Contains(a.Name, StringComparer.Ordinal))
                .Where(a => prefix is null || a.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Where(a => state is null || a.StateValue == state)
                .Where(a => actionPrefix is null || Actions(a).Any(action => action.StartsWith(actionPrefix, StringComparison.Ordinal)))
                .OrderBy(a => a.Name, StringComparer.Ordinal)
                .ToList();
        var (page, next) = Page(matching, input, maxRecords);
        return new JsonObject
        {
            ["MetricAlarms"] = new JsonArray([.. page.Select(a => (JsonNode)a.ToDocument())]),
            ["CompositeAlarms"] = new JsonArray(),
            ["NextToken"] = next,
        };
    }

    /// <summary>Deletes the named alarms; a name that matches none is skipped, as CloudWatch deletes the others.</summary>
    public JsonObject DeleteAlarms(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        foreach (var name in NamedAlarms(input, access))
        {
            _alarms.Change<bool>(name, _ => (null, true));
        }

        return [];
    }

    /// <summary>Sets the alarm's state until its next evaluation (here, until the next SetAlarmState).</summary>
    public JsonObject SetAlarmState(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var name = input.RequiredText("AlarmName", 1, 255);
        var state = input.Enum("StateValue", States) ?? throw CloudWatchErrors.MissingParameter("StateValue");
        var reason = input.Text("StateReason", 0, 1023) ?? throw CloudWatchErrors.MissingParameter("StateReason");
        var data = input.Text("StateReasonData", 0, 4000);
        if (data is not null && JsonProtocol.RootKind(data) is null)
        {
            throw CloudWatchErrors.InvalidFormat("State reason data must be valid JSON.");
        }

        access.DemandOperation(AlarmArn(name));
        var now = DateTimeOffset.UtcNow;
        _alarms.Change(name, current =>
        {
            var alarm = current ?? throw CloudWatchErrors.NotFound($"Alarm {name} not found");
            var next = alarm with
            {
                StateValue = state,
                StateReason = reason,
                StateReasonData = data,
                StateUpdatedTimestamp = now,
                StateTransitionedTimestamp = alarm.StateValue == state ? alarm.StateTransitionedTimestamp : now,
            };
            return (next, true);
        });
        return [];
    }

    public JsonObject EnableAlarmActions(CloudWatchInput input, AccessCheck access) => SetActionsEnabled(input, access, true);

    public JsonObject DisableAlarmActions(CloudWatchInput input, AccessCheck access) => SetActionsEnabled(input, access, false);

    public void Dispose()
    {
        _alarms.Dispose();
        _dashboards.Dispose();
    }

    private JsonObject SetActionsEnabled(CloudWatchInput input, AccessCheck access, bool enabled)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        foreach (var name in NamedAlarms(input, access))
        {
            _alarms.Change(name, current =>
            {
                if (current is null)
                {
                    return (null, false);
                }

                var configuration = (JsonObject)current.Configuration.DeepClone();
                configuration["ActionsEnabled"] = enabled;
                return (current with { Configuration = configuration }, true);
            });
        }

        return [];
    }

    /// <summary>The alarms <c>AlarmNames</c> names, once the caller may act on each: none is changed if one is denied.</summary>
    private IReadOnlyList<string> NamedAlarms(CloudWatchInput input, AccessCheck access)
    {
        var names = RequiredNames(input, "AlarmNames");
        foreach (var name in names)
        {
            access.DemandOperation(AlarmArn(name));
        }

        return names;
    }

    /// <summary>One page of <paramref name="items"/> from the request's <c>NextToken</c>, and the token of the next (null after the last).</summary>
    private static (List<T> Page, string? NextToken) Page<T>(IReadOnlyList<T> items, CloudWatchInput input, int size)
    {
        var start = PageToken.TryDecode(input.Text("NextToken"), items.Count) ?? throw CloudWatchErrors.InvalidNextToken();
        var page = items.Skip(start).Take(size).ToList();
        return (page, start + page.Count < items.Count ? PageToken.Encode(start + page.Count) : null);
    }

    private static IReadOnlyList<string> RequiredNames(CloudWatchInput input, string member)
    {
        var names = input.Texts(member, maxItems: 100);
        return names.Count > 0 ? names : throw CloudWatchErrors.MissingParameter(member);
    }

    private static IEnumerable<string> Actions(MetricAlarm alarm) =>
        ActionLists.SelectMany(list => alarm.Configuration[list] as JsonArray ?? [])
            .Select(a => a?.GetValue<string>() ?? string.Empty);

    private static Dictionary<string, string> Tags(CloudWatchInput input)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in input.Structures("Tags", maxItems: 50))
        {
            tags[tag.RequiredText("Key", 1, 128)] = tag.Text("Value", 0, 256) ?? throw CloudWatchErrors.MissingParameter("Value");
        }

        return tags;
    }
}
