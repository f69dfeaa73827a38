namespace Tap.Definition;

/// <summary>
/// Tap's AWS shape, described once. The local AppHost and the CDK stack are both built from these values,
/// so what runs on a developer's machine is what gets deployed.
/// </summary>
public static class TapApplication
{
    /// <summary>The Lambda function that hosts the ASP.NET Core API.</summary>
    public static FunctionDefinition Function { get; } = new(
        Name: "api-handler",
        Runtime: "provided.al2023",
        Handler: "bootstrap",
        MemorySize: 256,
        Timeout: TimeSpan.FromSeconds(30));

    /// <summary>The function's execution role: it may read its one secret, nothing more.</summary>
    public static RoleDefinition FunctionRole { get; } = new(
        Name: "api-handler-role",
        SecretActions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]);

    /// <summary>The Secrets Manager secret the function reads its configuration from.</summary>
    public static SecretDefinition Secret { get; } = new(
        Name: "tap/api-config",
        Keys: ["API_KEY", "DATABASE_URL", "EXTERNAL_SERVICE_TOKEN"])
    {
        GeneratedKey = "API_KEY",
    };

    /// <summary>Who may call the API: only <c>execute-api:Invoke</c> on it, through a role guarded by an external id.</summary>
    public static InvokerDefinition Invoker { get; } = new(
        RoleName: "api-invoker-role",
        PolicyName: "api-invoke-policy",
        Actions: ["execute-api:Invoke"]);

    private const string ThrottledRequestsMetric = "ThrottledRequests";

    /// <summary>How long the function's logs and the API's access logs are kept, in days.</summary>
    public const int LogRetentionDays = 14;

    /// <summary>The API Gateway HTTP API in front of the function.</summary>
    public static HttpApiDefinition HttpApi { get; } = new(
        Name: "serverless-http-api",
        Stage: "prod",
        Routes:
        [
            new RouteDefinition("ANY /", Function.Name, RouteAuthorization.AwsIam),
            new RouteDefinition("ANY /{proxy+}", Function.Name, RouteAuthorization.AwsIam),
        ],
        Throttle: new ThrottleDefinition(RateLimit: 50, BurstLimit: 100),
        Cors: new CorsDefinition(
            AllowOrigins: ["*"],
            AllowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
            AllowHeaders:
            [
                "content-type", "authorization", "x-amz-date", "x-amz-security-token",
                "x-amz-content-sha256", "x-api-key",
            ],
            MaxAge: TimeSpan.FromDays(1)),
        AccessLogFields:
        [
            new("requestId", "$context.requestId"),
            new("ip", "$context.identity.sourceIp"),
            new("caller", "$context.identity.caller"),
            new("userArn", "$context.identity.userArn"),
            new("requestTime", "$context.requestTime"),
            new("httpMethod", "$context.httpMethod"),
            new("routeKey", "$context.routeKey"),
            new("status", "$context.status"),
            new("protocol", "$context.protocol"),
            new("responseLength", "$context.responseLength"),
            new("integrationLatency", "$context.integrationLatency"),
            new("integrationError", "$context.integrationErrorMessage"),
        ])
    {
        DetailedMetrics = true,
    };

    /// <summary>
    /// The alarms: the API answering 5xx, the function failing or throttled, and callers throttled by the stage.
    /// Five minutes of 5xx or function errors fire at 5 (one is a blip, five a failure); any function throttle fires,
    /// as Tap reserves no concurrency and a throttle means the account's limit; the stage's throttle fires when 2 of
    /// 3 minutes each refuse 20 or more, a burst being what the stage's bucket is for.
    /// </summary>
    public static MonitoringDefinition Monitoring { get; } = new(
        MetricNamespace: "Tap/HttpApi",
        ThrottledRequestsMetric: ThrottledRequestsMetric,
        Alarms:
        [
            new AlarmDefinition("ApiServerErrors", "The API answered 5xx: the function failed, timed out or could not be invoked.",
                AlarmSource.HttpApiStage, "5xx", "Sum", Threshold: 5, Period: TimeSpan.FromMinutes(5), EvaluationPeriods: 1, DatapointsToAlarm: 1),
            new AlarmDefinition("FunctionErrors", "The function returned errors or timed out.",
                AlarmSource.Function, "Errors", "Sum", Threshold: 5, Period: TimeSpan.FromMinutes(5), EvaluationPeriods: 1, DatapointsToAlarm: 1),
            new AlarmDefinition("FunctionThrottles", "Lambda refused to run the function: the account's concurrency is exhausted.",
                AlarmSource.Function, "Throttles", "Sum", Threshold: 1, Period: TimeSpan.FromMinutes(5), EvaluationPeriods: 1, DatapointsToAlarm: 1),
            new AlarmDefinition("ThrottledRequests", "The stage's throttle refused callers (429) for minutes, not for one burst.",
                AlarmSource.AccessLog, ThrottledRequestsMetric, "Sum", Threshold: 20, Period: TimeSpan.FromMinutes(1), EvaluationPeriods: 3, DatapointsToAlarm: 2),
        ]);
}
