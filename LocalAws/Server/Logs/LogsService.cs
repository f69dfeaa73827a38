using System.Text.Json;
using System.Text.RegularExpressions;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Storage;

namespace Tap.LocalAws.Logs;

/// <summary>
/// CloudWatch Logs' log groups: CreateLogGroup, DeleteLogGroup, PutRetentionPolicy, DeleteRetentionPolicy and
/// DescribeLogGroups, and their metric filters (beside this file), with CloudWatch Logs' validation, errors and
/// <c>logs:</c> actions on the group's ARN. Durable with a data directory, one file per group in <c>logs/</c>.
/// </summary>
internal sealed partial class LogsService(LocalAwsSettings settings, TimeProvider clock, ILogger<LogsService> logger) : IDisposable
{
    /// <summary>The retention periods CloudWatch Logs accepts, in days.</summary>
    public static readonly int[] RetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    private readonly RecordStore<LogGroup> _groups = new(settings.DataDirectory, "logs", ".loggroup", format: 1, g => g.Name, _ => null, logger);

    public LogGroup? Find(string name) => _groups.Find(name);

    public void CreateLogGroup(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        var kmsKeyId = request.String("kmsKeyId", 0, 256);
        var logGroupClass = request.Enum("logGroupClass", "STANDARD", "INFREQUENT_ACCESS", "DELIVERY") ?? "STANDARD";
        var tags = request.Map("tags") ?? new Dictionary<string, string>();
        access.DemandOperation(Arn(name));
        if (tags.Count > 0)
        {
            access.Demand("logs:TagResource", Arn(name));
        }

        _groups.Change(name, current => current is not null
            ? throw AwsServiceException.Json("ResourceAlreadyExistsException", "The specified log group already exists")
            : (new LogGroup(name, Arn(name), clock.GetUtcNow(), null, kmsKeyId, logGroupClass, tags), 0));
        Empty(writer);
    }

    public void DeleteLogGroup(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        access.DemandOperation(Arn(name));
        _groups.Change(name, current => current is null ? throw NotFound() : ((LogGroup?)null, 0));
        Empty(writer);
    }

    public void PutRetentionPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        var days = request.Int("retentionInDays", int.MinValue, int.MaxValue) ?? throw JsonRequest.Constraint("retentionInDays", "Member must not be null");
        access.DemandOperation(Arn(name));
        if (!RetentionDays.Contains(days))
        {
            throw AwsServiceException.Json("InvalidParameterException",
                $"1 validation error detected: Value '{days}' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", RetentionDays)}]");
        }

        _groups.Change(name, current => ((current ?? throw NotFound()) with { RetentionInDays = days }, 0));
        Empty(writer);
    }

    public void DeleteRetentionPolicy(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var name = GroupName(request);
        access.DemandOperation(Arn(name));
        _groups.Change(name, current => ((current ?? throw NotFound()) with { RetentionInDays = null }, 0));
        Empty(writer);
    }

    public void DescribeLogGroups(JsonRequest request, AccessCheck access, Utf8JsonWriter writer)
    {
        var prefix = request.String("logGroupNamePrefix", 1, 512);
        var pattern = request.String("logGroupNamePattern", 0, 512);
        var limit = request.Int("limit", 1, 50) ?? 50;
        var token = request.String("nextToken", 1, int.MaxValue);
        if (prefix is not null && pattern is not null)
        {
            throw AwsServiceException.Json("InvalidParameterException", "LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.");
        }

        access.DemandOperation($"arn:aws:logs:{settings.Region}:{settings.AccountId}:log-group:*");
        var matching = _groups.All()
            .Where(g => (prefix is null || g.Name.StartsWith(prefix, StringComparison.Ordinal)) && (pattern is null || g.Name.Contains(pattern, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var offset = PageToken.Decode(token, matching.Count, "InvalidParameterException");
        writer.WriteStartObject();
        writer.WriteStartArray("logGroups");
        foreach (var group in matching.Skip(offset).Take(limit))
        {
            writer.WriteStartObject();
            writer.WriteString("logGroupName", group.Name);
            writer.WriteNumber("creationTime", group.CreationTime.ToUnixTimeMilliseconds());
            if (group.RetentionInDays is { } days)
            {
                writer.WriteNumber("retentionInDays", days);
            }

            writer.WriteNumber("metricFilterCount", group.Filters.Count);
            writer.WriteString("arn", group.Arn + ":*");
            writer.WriteNumber("storedBytes", 0);
            if (group.KmsKeyId is { } key)
            {
                writer.WriteString("kmsKeyId", key);
            }

            writer.WriteString("logGroupClass", group.LogGroupClass);
            writer.WriteString("logGroupArn", group.Arn);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (matching.Count > offset + limit)
        {
            writer.WriteString("nextToken", PageToken.Encode(offset + limit));
        }

        writer.WriteEndObject();
    }

    public void Dispose() => _groups.Dispose();

    /// <summary>A log group's ARN as IAM and DescribeLogGroups' <c>logGroupArn</c> name it (without the trailing <c>:*</c>).</summary>
    public string Arn(string name) => $"arn:aws:logs:{settings.Region}:{settings.AccountId}:log-group:{name}";

    private static string GroupName(JsonRequest request)
    {
        var name = request.RequiredString("logGroupName", 1, 512);
        return GroupNamePattern().IsMatch(name)
            ? name
            : throw JsonRequest.Constraint("logGroupName", "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    }

    private static AwsServiceException NotFound() => AwsServiceException.Json("ResourceNotFoundException", "The specified log group does not exist.");

    private static void Empty(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }

    [GeneratedRegex("^[.\\-_/#A-Za-z0-9]+$")]
    private static partial Regex GroupNamePattern();
}
