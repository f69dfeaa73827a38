namespace Tap.LocalAws.CloudWatch;

/// <summary>A dashboard: its body as PutDashboard last set it, and its tags. Dashboards are global, so the ARN has no region.</summary>
internal sealed record Dashboard(string Name, string Arn, string Body, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Tags);
