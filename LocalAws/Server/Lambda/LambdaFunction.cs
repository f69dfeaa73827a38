namespace Tap.LocalAws.Lambda;

/// <summary>A configured Lambda function (only <c>$LATEST</c>: LocalAws publishes no versions or aliases).</summary>
public sealed record LambdaFunction(
    string Name,
    string Arn,
    string Role,
    int TimeoutSeconds,
    int MemorySizeMb,
    bool JsonLogs,
    IReadOnlyDictionary<string, string> Environment,
    DateTimeOffset LastModified)
{
    public const string LatestVersion = "$LATEST";

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public string LogGroup => "/aws/lambda/" + Name;
}
