using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.AWS.CloudFormation;
using Aspire.Hosting.AWS.Lambda;
using Tap.Aws.Hosting;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// Tap's settings of an HTTP API that the official hosting package has no calls for: each is its own call, so
/// dropping them is the whole change when moving to that package.
/// </summary>
public static class HttpApiBuilderExtensions
{
    /// <summary>The authorization type of an IAM-authorized route: SigV4 with service <c>execute-api</c>, then <c>execute-api:Invoke</c>.</summary>
    public const string AwsIamAuthorization = "AWS_IAM";

    /// <summary>
    /// Every route requires IAM authorization: requests signed with SigV4 (service <c>execute-api</c>) by a
    /// principal allowed <c>execute-api:Invoke</c> on <c>arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}</c>.
    /// </summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithIamAuthorization(this IResourceBuilder<APIGatewayEmulatorResource> builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Settings(builder.Resource).AuthorizationType = AwsIamAuthorization;
        return builder;
    }

    /// <summary>Serves the API under a named stage, the first segment of every path (API Gateway's <c>$default</c> otherwise).</summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithStage(this IResourceBuilder<APIGatewayEmulatorResource> builder, string stage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        Settings(builder.Resource).Stage = stage;
        return builder;
    }

    /// <summary>Throttles the stage with a token bucket: <paramref name="rateLimit"/> requests/s, bursts of <paramref name="burstLimit"/>; more get 429.</summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithThrottling(this IResourceBuilder<APIGatewayEmulatorResource> builder, double rateLimit, int burstLimit)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfNegative(rateLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(burstLimit);
        Settings(builder.Resource).Throttle = new LocalAwsThrottleSettings(rateLimit, burstLimit);
        return builder;
    }

    /// <summary>Answers CORS preflights and adds CORS headers for allowed origins, as API Gateway's <c>CorsConfiguration</c>.</summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithCors(this IResourceBuilder<APIGatewayEmulatorResource> builder, LocalAwsCorsSettings cors)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(cors);
        Settings(builder.Resource).Cors = cors;
        return builder;
    }

    /// <summary>Writes one access log line per request in this format (API Gateway's <c>$context</c> variables).</summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithAccessLogFormat(this IResourceBuilder<APIGatewayEmulatorResource> builder, string format)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        Settings(builder.Resource).AccessLogFormat = format;
        return builder;
    }

    /// <summary>
    /// The stage's detailed metrics (<c>DetailedMetricsEnabled</c>): each request's metrics also carry its route, as
    /// CloudWatch's <c>Method</c> and <c>Resource</c> dimensions.
    /// </summary>
    public static IResourceBuilder<APIGatewayEmulatorResource> WithDetailedMetrics(this IResourceBuilder<APIGatewayEmulatorResource> builder, bool enabled = true)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Settings(builder.Resource).DetailedMetrics = enabled;
        return builder;
    }

    /// <summary>
    /// Makes the resource the HTTP API <paramref name="stack"/> deploys into LocalAws under the resource's name, rather
    /// than an API of its own: its routes, authorization, stage, throttling, CORS and access log are the stack's;
    /// LocalAws serves it on the resource's endpoint (its port, fixed or not), the stage URL is the stack output
    /// <paramref name="stageUrlOutput"/>, and it is running once the stack is up and what it waits for is ready.
    /// </summary>
    /// <param name="builder">The API.</param>
    /// <param name="stack">The stack that deploys it.</param>
    /// <param name="stageUrlOutput">The stack output holding the URL of the API's stage.</param>
    public static IResourceBuilder<APIGatewayEmulatorResource> AsDeployedHttpApi(
        this IResourceBuilder<APIGatewayEmulatorResource> builder, IResourceBuilder<ICloudFormationTemplateResource> stack, string stageUrlOutput)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentException.ThrowIfNullOrWhiteSpace(stageUrlOutput);
        if (builder.Resource.Annotations.OfType<APIGatewayRouteAnnotation>().Any())
        {
            throw new InvalidOperationException($"{builder.Resource.Name} has routes of its own; an API a stack deploys has the stack's routes.");
        }

        Settings(builder.Resource).DeployedUrl = new StackOutputReference(stageUrlOutput, stack.Resource);
        builder.WithRelationship(stack.Resource, "Deployed by");
        return builder.ApplicationBuilder.ExecutionContext.IsRunMode ? builder.WaitFor(stack) : builder;
    }

    /// <summary>The API's id, as in its ARNs and its real URL.</summary>
    public static string GetApiId(this APIGatewayEmulatorResource api)
    {
        ArgumentNullException.ThrowIfNull(api);
        return Settings(api).ApiId;
    }

    /// <summary>
    /// The URL of the API's stage, e.g. <c>http://localhost:4000/prod/</c>; known once LocalAws has started (a
    /// deployed API's, once its stack is up).
    /// </summary>
    public static Uri GetStageUrl(this APIGatewayEmulatorResource api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var settings = Settings(api);
        if (settings.DeployedUrl is { } deployed)
        {
            return new Uri(deployed.Value!.TrimEnd('/') + "/");
        }

        var stage = settings.Stage is { } name && name != "$default" ? name + "/" : string.Empty;
        return new Uri($"{settings.Endpoint.Url}/{stage}");
    }

    internal static LocalAwsHttpApiAnnotation Settings(APIGatewayEmulatorResource api) =>
        api.Annotations.OfType<LocalAwsHttpApiAnnotation>().SingleOrDefault()
        ?? throw new InvalidOperationException($"Resource {api.Name} is not an API served by LocalAws (add it with AddAWSAPIGatewayEmulator after AddLocalAws).");
}
