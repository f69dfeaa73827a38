using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>An HTTP API as LocalAws serves it: where it listens, and Tap's stage, authorization, throttling and CORS.</summary>
internal sealed class LocalAwsHttpApiAnnotation(LocalAwsResource localAws, string name) : IResourceAnnotation
{
    public LocalAwsResource LocalAws { get; } = localAws;

    public string ApiId { get; } = LocalAwsHttpApiSettings.DefaultApiId(name);

    /// <summary>The endpoint of LocalAws's process the API listens on, named after the API.</summary>
    public EndpointReference Endpoint { get; } = new(localAws, name);

    /// <summary>The stage (API Gateway's <c>$default</c> when unset: no path segment).</summary>
    public string? Stage { get; set; }

    /// <summary>Every route's authorization type (API Gateway's <c>NONE</c> when unset).</summary>
    public string? AuthorizationType { get; set; }

    public LocalAwsThrottleSettings? Throttle { get; set; }

    public LocalAwsCorsSettings? Cors { get; set; }

    public string? AccessLogFormat { get; set; }

    public bool DetailedMetrics { get; set; }

    /// <summary>For an API a stack deploys: the stack output holding its stage's URL; its routes and settings are the stack's.</summary>
    public StackOutputReference? DeployedUrl { get; set; }
}
