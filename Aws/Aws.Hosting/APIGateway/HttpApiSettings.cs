using Aspire.Hosting.AWS.Lambda;
using Tap.LocalAws.Configuration;

namespace Tap.Aws.Hosting;

/// <summary>An HTTP API as LocalAws serves it: its routes and Tap's stage, authorization, throttling and CORS.</summary>
internal sealed class HttpApiSettings(string name)
{
    public string ApiId { get; } = LocalAwsHttpApiSettings.DefaultApiId(name);

    /// <summary>The stage (API Gateway's <c>$default</c> when unset: no path segment).</summary>
    public string? Stage { get; set; }

    /// <summary>Every route's authorization type (API Gateway's <c>NONE</c> when unset).</summary>
    public string? AuthorizationType { get; set; }

    public LocalAwsThrottleSettings? Throttle { get; set; }

    public LocalAwsCorsSettings? Cors { get; set; }

    public string? AccessLogFormat { get; set; }

    public List<HttpApiRoute> Routes { get; } = [];
}

/// <summary>A route and the function it invokes.</summary>
internal sealed record HttpApiRoute(string RouteKey, LambdaProjectResource Function);
