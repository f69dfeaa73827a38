namespace Tap.Definition;

/// <summary>An API Gateway HTTP API with one stage.</summary>
/// <param name="Name">The API name.</param>
/// <param name="Stage">The stage name; it is the first path segment of every URL unless it is <c>$default</c>.</param>
/// <param name="Routes">The routes and their integrations.</param>
/// <param name="Throttle">The stage's default route throttling.</param>
/// <param name="Cors">The API's CORS configuration.</param>
/// <param name="AccessLogFields">The stage's JSON access log: each field and the <c>$context</c> variable it holds.</param>
public sealed record HttpApiDefinition(
    string Name,
    string Stage,
    IReadOnlyList<RouteDefinition> Routes,
    ThrottleDefinition Throttle,
    CorsDefinition Cors,
    IReadOnlyList<KeyValuePair<string, string>> AccessLogFields)
{
    /// <summary>The stage's detailed (per-route) metrics: <c>Method</c> and <c>Resource</c> beside <c>ApiId</c> and <c>Stage</c>.</summary>
    public bool DetailedMetrics { get; init; }

    /// <summary>The access log format as API Gateway takes it: one JSON object per request.</summary>
    public string AccessLogFormat =>
        "{" + string.Join(",", AccessLogFields.Select(f => $"\"{f.Key}\":\"{f.Value}\"")) + "}";
}

/// <summary>An HTTP API route.</summary>
/// <param name="RouteKey">The route key as API Gateway writes it, e.g. <c>ANY /{proxy+}</c>.</param>
/// <param name="Function">The name of the Lambda function the route integrates with.</param>
/// <param name="AuthorizationType">One of <see cref="RouteAuthorization"/>.</param>
public sealed record RouteDefinition(string RouteKey, string Function, string AuthorizationType);

/// <summary>HTTP API route authorization types, spelled as API Gateway spells them.</summary>
public static class RouteAuthorization
{
    /// <summary>Callers must sign with SigV4 and be allowed <c>execute-api:Invoke</c>.</summary>
    public const string AwsIam = "AWS_IAM";
}

/// <summary>Token-bucket throttling: a steady rate and a burst capacity.</summary>
/// <param name="RateLimit">Requests per second.</param>
/// <param name="BurstLimit">Bucket capacity.</param>
public sealed record ThrottleDefinition(double RateLimit, int BurstLimit);

/// <summary>An HTTP API's CORS configuration.</summary>
public sealed record CorsDefinition(
    IReadOnlyList<string> AllowOrigins,
    IReadOnlyList<string> AllowMethods,
    IReadOnlyList<string> AllowHeaders,
    TimeSpan MaxAge);
