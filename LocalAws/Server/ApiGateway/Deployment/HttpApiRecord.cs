namespace Tap.LocalAws.ApiGateway.Deployment;

/// <summary>
/// An HTTP API made at run time (CloudFormation's <c>AWS::ApiGatewayV2::*</c>), with everything under it, stored as
/// one record: a change to any part is one write. <see cref="Port"/> is where it listens, kept across restarts so
/// its <c>ApiEndpoint</c> stays the address it was given.
/// </summary>
internal sealed record HttpApiRecord(string ApiId, string Name, int Port, DateTimeOffset CreatedDate)
{
    public string? Description { get; init; }

    public HttpApiCors? Cors { get; init; }

    public bool DisableExecuteApiEndpoint { get; init; }

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<HttpApiIntegration> Integrations { get; init; } = [];

    public IReadOnlyList<HttpApiRoute> Routes { get; init; } = [];

    public IReadOnlyList<HttpApiStage> Stages { get; init; } = [];
}

/// <summary>An API's CORS configuration, as <c>CorsConfiguration</c> declares it.</summary>
internal sealed record HttpApiCors(
    IReadOnlyList<string> AllowOrigins, IReadOnlyList<string> AllowMethods, IReadOnlyList<string> AllowHeaders, IReadOnlyList<string> ExposeHeaders,
    bool AllowCredentials, int? MaxAge);

/// <summary>A Lambda proxy integration (payload 2.0): the function it invokes and its timeout.</summary>
internal sealed record HttpApiIntegration(string IntegrationId, string IntegrationUri, string FunctionName, int TimeoutInMillis)
{
    public string? Description { get; init; }
}

/// <summary>A route: its key, its authorization, and the integration it targets (<c>integrations/{id}</c>).</summary>
internal sealed record HttpApiRoute(string RouteId, string RouteKey, string AuthorizationType, string? Target);

/// <summary>A stage: its throttling, its access log, whether it deploys every change.</summary>
internal sealed record HttpApiStage(string StageName, bool AutoDeploy)
{
    public double? ThrottlingRateLimit { get; init; }

    public int? ThrottlingBurstLimit { get; init; }

    public bool DetailedMetricsEnabled { get; init; }

    public string? AccessLogDestinationArn { get; init; }

    public string? AccessLogFormat { get; init; }

    public string? Description { get; init; }

    public DateTimeOffset CreatedDate { get; init; }
}
