namespace Tap.LocalAws.ApiGateway;

/// <summary>A configured HTTP API with its one stage.</summary>
/// <param name="Name">The API's name.</param>
/// <param name="ApiId">The id in its ARNs and events.</param>
/// <param name="Url">Where it listens.</param>
/// <param name="Stage">The stage; unless it is <c>$default</c>, the first path segment of every URL.</param>
/// <param name="Routes">Its routes.</param>
/// <param name="Throttle">The stage's throttling, if any.</param>
/// <param name="Cors">Its CORS configuration, if any.</param>
/// <param name="AccessLogFormat">The stage's access log format.</param>
/// <param name="AccountId">The account it belongs to.</param>
/// <param name="Region">The region it is in.</param>
internal sealed record HttpApi(
    string Name,
    string ApiId,
    Uri Url,
    string Stage,
    RouteTable Routes,
    ThrottleLimits? Throttle,
    CorsPolicy? Cors,
    AccessLogFormat AccessLogFormat,
    string AccountId,
    string Region)
{
    public const string DefaultStage = "$default";

    /// <summary>Listen only once every routed function has a started environment.</summary>
    public bool WaitForFunctions { get; init; }

    /// <summary>The stage's detailed metrics: each request's metrics carry its route (<c>Method</c>, <c>Resource</c>).</summary>
    public bool DetailedMetrics { get; init; }

    /// <summary>
    /// Invoke a function only where its resource-based policy lets API Gateway in from this route (an API deployed
    /// at run time; a configured API and its configured functions are trusted as configured).
    /// </summary>
    public bool EnforcesFunctionPolicy { get; init; }

    /// <summary>
    /// The <c>AWS:SourceArn</c> API Gateway invokes a route's function with: the stage, the request's method and the
    /// route's path template (<c>…/prod/GET/{proxy+}</c>), or <c>$default</c> for the default route.
    /// </summary>
    public string SourceArn(string method, RouteKey route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var tail = route.IsDefault ? RouteKey.Default : $"{method.ToUpperInvariant()}{route.Path}";
        return $"arn:aws:execute-api:{Region}:{AccountId}:{ApiId}/{Stage}/{tail}";
    }

    /// <summary>The <c>execute-api:Invoke</c> resource of a request to this API's stage: its canonical path after the stage.</summary>
    public string InvokeArn(string method, RequestPath pathInStage)
    {
        ArgumentNullException.ThrowIfNull(pathInStage);
        return ExecuteApiArn.For(Region, AccountId, ApiId, Stage, method, pathInStage.Value);
    }

    /// <summary>The request's canonical path after the stage, or <see langword="null"/> when it names another stage.</summary>
    public RequestPath? PathInStage(RequestPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Stage == DefaultStage ? path : path.After(Stage);
    }
}

/// <summary>A route and its Lambda integration.</summary>
/// <param name="Key">The parsed route key.</param>
/// <param name="Function">The function it invokes.</param>
/// <param name="RequiresIam"><c>AWS_IAM</c> authorization (else <c>NONE</c>).</param>
/// <param name="Timeout">The integration timeout: the gateway answers 503 when the function has not answered by then.</param>
internal sealed record HttpRoute(RouteKey Key, string Function, bool RequiresIam, TimeSpan Timeout);

/// <summary>A stage's throttling: requests per second, and the bucket's capacity.</summary>
internal sealed record ThrottleLimits(double RateLimit, int BurstLimit);
