using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Logs;

/// <summary>
/// A log group's metric filters: PutMetricFilter, DescribeMetricFilters and DeleteMetricFilter, with CloudWatch
/// Logs' validation, limits and errors. They are stored with their group; no log event is matched against them (no
/// event is stored to match).
/// </summary>
internal sealed partial class LogsService
{
    /// <summary>CloudWatch Logs' quota of metric filters per log group.</summary>
    public const int MaxMetricFilters = 100;

    /// <summary>CloudWatch's units a metric filter's metric may have.</summary>
    private static readonly string[] Units =
    [
        "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits",
        "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
        "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
    ];

    public void PutMetricFilter(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        var filterName = FilterName(request);
        var pattern = request.String("filterPattern", 0, 1024) ?? throw JsonRequest.Constraint("filterPattern", "Member must not be null");
        var transformations = (request.Array("metricTransformations", 1, 1) ?? throw JsonRequest.Constraint("metricTransformations", "Member must not be null"))
            .Select(Transformation).ToList();
        var onTransformed = request.Bool("applyOnTransformedLogs") ?? false;
        if (!IsFilterPattern(pattern))
        {
            throw AwsServiceException.Json("InvalidParameterException", "Invalid metric filter pattern");
        }

        access.DemandOperation(Arn(name));
        _groups.Change(name, current =>
        {
            var group = current ?? throw NotFound();
            var others = group.Filters.Where(f => f.FilterName != filterName).ToList();
            if (others.Count >= MaxMetricFilters)
            {
                throw AwsServiceException.Json("LimitExceededException", "Resource limit exceeded.");
            }

            var created = group.Filters.FirstOrDefault(f => f.FilterName == filterName)?.CreationTime ?? clock.GetUtcNow();
            return (group with { MetricFilters = [.. others, new MetricFilter(filterName, pattern, transformations, created, onTransformed)] }, 0);
        });
        Empty(writer);
    }

    public void DeleteMetricFilter(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        var filterName = FilterName(request);
        access.DemandOperation(Arn(name));
        _groups.Change(name, current =>
        {
            var group = current ?? throw NotFound();
            return group.Filters.Any(f => f.FilterName == filterName)
                ? (group with { MetricFilters = [.. group.Filters.Where(f => f.FilterName != filterName)] }, 0)
                : throw AwsServiceException.Json("ResourceNotFoundException", "The specified metric filter does not exist.");
        });
        Empty(writer);
    }

    public void DescribeMetricFilters(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = request.String("logGroupName", 1, 512) is null ? null : GroupName(request);
        var prefix = request.String("filterNamePrefix", 1, 512);
        var metricName = request.String("metricName", 0, 255);
        var metricNamespace = request.String("metricNamespace", 0, 255);
        var limit = request.Int("limit", 1, 50) ?? 50;
        var token = request.String("nextToken", 1, int.MaxValue);
        if (prefix is not null && name is null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "If you specify filterNamePrefix, you must also specify logGroupName.");
        }

        if ((metricName is null) != (metricNamespace is null))
        {
            throw AwsServiceException.Json("InvalidParameterException", "If you specify metricName or metricNamespace, you must specify both.");
        }

        access.DemandOperation(name is null ? $"arn:aws:logs:{settings.Region}:{settings.AccountId}:log-group:*" : Arn(name));
        var groups = name is null ? _groups.All() : [Find(name) ?? throw NotFound()];
        var matching = groups.OrderBy(g => g.Name, StringComparer.Ordinal)
            .SelectMany(g => g.Filters.OrderBy(f => f.FilterName, StringComparer.Ordinal).Select(f => (Group: g.Name, Filter: f)))
            .Where(m => (prefix is null || m.Filter.FilterName.StartsWith(prefix, StringComparison.Ordinal))
                && (metricName is null || m.Filter.MetricTransformations.Any(t => t.MetricName == metricName && t.MetricNamespace == metricNamespace)))
            .ToList();
        var offset = PageToken.Decode(token, matching.Count, "InvalidParameterException");
        writer.WriteStartObject();
        writer.WriteStartArray("metricFilters");
        foreach (var (groupName, filter) in matching.Skip(offset).Take(limit))
        {
            WriteFilter(writer, groupName, filter);
        }

        writer.WriteEndArray();
        if (matching.Count > offset + limit)
        {
            writer.WriteString("nextToken", PageToken.Encode(offset + limit));
        }

        writer.WriteEndObject();
    }

    private static void WriteFilter(Utf8JsonWriter writer, string groupName, MetricFilter filter)
    {
        writer.WriteStartObject();
        writer.WriteString("filterName", filter.FilterName);
        writer.WriteString("filterPattern", filter.FilterPattern);
        writer.WriteStartArray("metricTransformations");
        foreach (var transformation in filter.MetricTransformations)
        {
            writer.WriteStartObject();
            writer.WriteString("metricName", transformation.MetricName);
            writer.WriteString("metricNamespace", transformation.MetricNamespace);
            writer.WriteString("metricValue", transformation.MetricValue);
            if (transformation.DefaultValue is { } value)
            {
                writer.WriteNumber("defaultValue", value);
            }

            if (transformation.Dimensions is { Count: > 0 } dimensions)
            {
                writer.WriteStartObject("dimensions");
                foreach (var (key, dimension) in dimensions)
                {
                    writer.WriteString(key, dimension);
                }

                writer.WriteEndObject();
            }

            if (transformation.Unit is { } unit)
            {
                writer.WriteString("unit", unit);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("creationTime", filter.CreationTime.ToUnixTimeMilliseconds());
        writer.WriteString("logGroupName", groupName);
        writer.WriteBoolean("applyOnTransformedLogs", filter.ApplyOnTransformedLogs);
        writer.WriteEndObject();
    }

    private static string FilterName(JsonRequest request)
    {
        var name = request.RequiredString("filterName", 1, 512);
        return name.AsSpan().IndexOfAny(':', '*') < 0 ? name : throw JsonRequest.Constraint("filterName", "Member must satisfy regular expression pattern: [^:*]*");
    }

    private static MetricTransformation Transformation(JsonElement item)
    {
        static string Name(JsonElement item, string member)
        {
            var value = JsonRequest.String(item, member) ?? throw JsonRequest.Constraint($"metricTransformations.1.member.{member}", "Member must not be null");
            return value.Length > 255 || value.AsSpan().IndexOfAny(":*$") >= 0
                ? throw JsonRequest.Constraint($"metricTransformations.1.member.{member}", "Member must have length less than or equal to 255 and satisfy regular expression pattern: [^:*$]*")
                : value;
        }

        var metricValue = JsonRequest.String(item, "metricValue") is { Length: > 0 and <= 100 } v ? v : throw JsonRequest.Constraint("metricTransformations.1.member.metricValue", "Member must have length between 1 and 100");
        var defaultValue = JsonRequest.Number(item, "defaultValue");
        var unit = JsonRequest.String(item, "unit");
        if (unit is not null && !Units.Contains(unit, StringComparer.Ordinal))
        {
            throw JsonRequest.Constraint("metricTransformations.1.member.unit", $"Member must satisfy enum value set: [{string.Join(", ", Units)}]");
        }

        var dimensions = JsonRequest.Map(item, "dimensions");
        if (dimensions is { Count: > 3 })
        {
            throw AwsServiceException.Json("InvalidParameterException", "A metric filter may have at most 3 dimensions.");
        }

        if (dimensions is { Count: > 0 } && defaultValue is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "You can't specify both dimensions and a default value for a metric transformation.");
        }

        var value = metricValue.StartsWith('$') || double.TryParse(metricValue, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            ? metricValue
            : throw AwsServiceException.Json("InvalidParameterException", "Invalid metric value: it must be a number or a $ field reference.");
        return new MetricTransformation(Name(item, "metricName"), Name(item, "metricNamespace"), value, defaultValue, unit, dimensions);
    }

    /// <summary>
    /// The shapes of CloudWatch Logs' filter pattern syntax, checked as far as their delimiters: terms (or empty, every
    /// event), a JSON selector <c>{ $.field = value }</c> or a space-delimited one <c>[ip, user, ..., status = 429, …]</c>.
    /// </summary>
    private static bool IsFilterPattern(string pattern)
    {
        var trimmed = pattern.Trim();
        return trimmed switch
        {
            ['{', .., '}'] => JsonSelector().IsMatch(trimmed),
            ['[', .., ']'] => trimmed.Count(c => c == '[') == 1 && trimmed.Count(c => c == ']') == 1,
            _ => !trimmed.StartsWith('{') && !trimmed.StartsWith('[') && trimmed.Count(c => c == '"') % 2 == 0,
        };
    }

    [GeneratedRegex(@"^\{\s*\(?\s*\$[.\[].*(=|!=|<|>|<=|>=|IS|NOT EXISTS|EXISTS).*\}$", RegexOptions.Singleline)]
    private static partial Regex JsonSelector();
}
