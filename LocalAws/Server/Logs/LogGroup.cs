namespace Tap.LocalAws.Logs;

/// <summary>A CloudWatch Logs log group: its name, retention, key and tags (LocalAws keeps no log events in it).</summary>
internal sealed record LogGroup(string Name, string Arn, DateTimeOffset CreationTime, int? RetentionInDays, string? KmsKeyId, string LogGroupClass, IReadOnlyDictionary<string, string> Tags);
