using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.CloudWatch;

/// <summary>Dashboards: PutDashboard checks the body's structure as CloudWatch does before it stores it whole.</summary>
internal sealed partial class CloudWatchService
{
    private const int DashboardPageSize = 1000;

    private const int MaxWidgets = 500;

    private static readonly string[] WidgetTypes = ["metric", "text", "log", "alarm", "explorer", "custom"];

    public string DashboardArn(string name) => $"arn:aws:cloudwatch::{settings.AccountId}:dashboard/{name}";

    public Dashboard? FindDashboard(string name) => _dashboards.Find(name);

    public JsonObject PutDashboard(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var name = DashboardName(input.RequiredText("DashboardName"));
        var body = input.RequiredText("DashboardBody");
        CheckBody(body);
        var tags = Tags(input);
        access.DemandOperation(DashboardArn(name));
        if (tags.Count > 0 && FindDashboard(name) is null)
        {
            access.Demand("cloudwatch:TagResource", DashboardArn(name));
        }

        _dashboards.Change(name, current =>
        {
            var dashboard = current is null
                ? new Dashboard(name, DashboardArn(name), body, DateTimeOffset.UtcNow, tags)
                : current with { Body = body, LastModified = DateTimeOffset.UtcNow };
            return (dashboard, true);
        });
        return new JsonObject { ["DashboardValidationMessages"] = new JsonArray() };
    }

    public JsonObject GetDashboard(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var name = input.RequiredText("DashboardName");
        access.DemandOperation(DashboardArn(name));
        var dashboard = FindDashboard(name) ?? throw DashboardNotFound(name);
        return new JsonObject { ["DashboardArn"] = dashboard.Arn, ["DashboardBody"] = dashboard.Body, ["DashboardName"] = dashboard.Name };
    }

    public JsonObject ListDashboards(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var prefix = input.Text("DashboardNamePrefix");
        access.DemandOperation("*");
        var matching = _dashboards.All().Where(d => prefix is null || d.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var (page, next) = Page(matching, input, DashboardPageSize);
        return new JsonObject
        {
            ["DashboardEntries"] = new JsonArray([.. page.Select(d => (JsonNode)new JsonObject
            {
                ["DashboardName"] = d.Name,
                ["DashboardArn"] = d.Arn,
                ["LastModified"] = d.LastModified,
                ["Size"] = (long)Encoding.UTF8.GetByteCount(d.Body),
            })]),
            ["NextToken"] = next,
        };
    }

    /// <summary>Deletes the named dashboards; if one does not exist, none is deleted.</summary>
    public JsonObject DeleteDashboards(CloudWatchInput input, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(access);
        var names = RequiredNames(input, "DashboardNames");
        foreach (var name in names)
        {
            access.DemandOperation(DashboardArn(name));
        }

        if (names.FirstOrDefault(n => FindDashboard(n) is null) is { } missing)
        {
            throw DashboardNotFound(missing);
        }

        foreach (var name in names)
        {
            _dashboards.Change<bool>(name, _ => (null, true));
        }

        return new JsonObject();
    }

    private static AwsServiceException DashboardNotFound(string name) => CloudWatchErrors.NotFound($"Dashboard {name} does not exist");

    private static string DashboardName(string name) => DashboardNamePattern().IsMatch(name)
        ? name
        : throw CloudWatchErrors.InvalidParameterValue("The value for field DashboardName contains invalid characters. It can only contain alphanumerics, dash (-) and underscore (_).");

    /// <summary>What CloudWatch demands of a body before it stores it: a JSON object whose <c>widgets</c> each have a known type and properties.</summary>
    private static void CheckBody(string body)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(body, documentOptions: JsonProtocol.StrictJson);
        }
        catch (JsonException)
        {
            throw CloudWatchErrors.InvalidDashboard(string.Empty, "The field DashboardBody must be a valid JSON object");
        }

        if (root is not JsonObject dashboard)
        {
            throw CloudWatchErrors.InvalidDashboard(string.Empty, "The field DashboardBody must be a valid JSON object");
        }

        if (dashboard["widgets"] is not JsonArray widgets)
        {
            throw CloudWatchErrors.InvalidDashboard(string.Empty, "Should have required property 'widgets'");
        }

        if (widgets.Count > MaxWidgets)
        {
            throw CloudWatchErrors.InvalidDashboard("/widgets", $"Should NOT have more than {MaxWidgets} items");
        }

        for (var i = 0; i < widgets.Count; i++)
        {
            var path = $"/widgets/{i}";
            if (widgets[i] is not JsonObject widget)
            {
                throw CloudWatchErrors.InvalidDashboard(path, "Should be object");
            }

            if (widget["type"] is not JsonValue type || !type.TryGetValue<string>(out var kind) || !WidgetTypes.Contains(kind, StringComparer.Ordinal))
            {
                throw CloudWatchErrors.InvalidDashboard(path + "/type", $"Should be equal to one of the allowed values [{string.Join(", ", WidgetTypes)}]");
            }

            if (widget["properties"] is not JsonObject properties)
            {
                throw CloudWatchErrors.InvalidDashboard(path, "Should have required property 'properties'");
            }

            foreach (var coordinate in (string[])["x", "y", "width", "height"])
            {
                if (widget[coordinate] is { } value && (value is not JsonValue number || !number.TryGetValue<double>(out _)))
                {
                    throw CloudWatchErrors.InvalidDashboard($"{path}/{coordinate}", "Should be integer");
                }
            }

            if (kind == "metric" && properties["metrics"] is null && properties["annotations"] is null)
            {
                throw CloudWatchErrors.InvalidDashboard(path + "/properties", "Should have required property 'metrics' or 'annotations'");
            }

            if (kind == "text" && properties["markdown"] is null)
            {
                throw CloudWatchErrors.InvalidDashboard(path + "/properties", "Should have required property 'markdown'");
            }

            if (kind == "alarm" && properties["alarms"] is not JsonArray)
            {
                throw CloudWatchErrors.InvalidDashboard(path + "/properties", "Should have required property 'alarms'");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,255}$")]
    private static partial Regex DashboardNamePattern();
}
