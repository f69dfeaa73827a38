using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// One HTTP API's request path, in API Gateway's order: the host (it must name this API), the path's one canonical
/// form (<see cref="RequestPath"/>), the stage, the stage's token bucket (at admission, whatever follows), CORS
/// preflight (answered here), the route, the body (10 MB), SigV4 for <c>execute-api</c> and IAM's
/// <c>execute-api:Invoke</c> on <c>AWS_IAM</c> routes, then the payload 2.0 event to the route's function and its
/// answer back. Each request gets one server span, one access log line and an <c>apigw-requestid</c>.
/// </summary>
internal sealed partial class HttpApiGateway
{
    /// <summary>API Gateway's limit on a request body.</summary>
    public const int MaxBodyBytes = 10 * 1024 * 1024;

    /// <summary>
    /// HTTP APIs' quota on the request line and headers together; Kestrel enforces it on each (431 for the headers,
    /// 414 for the request line), which is as close as a server below the gateway can get to AWS's combined count.
    /// </summary>
    public const int MaxRequestLineAndHeaderBytes = 10240;

    private static readonly AwsError BodyTooLarge = new(StatusCodes.Status413PayloadTooLarge, "RequestEntityTooLarge", GatewayResponse.TooLarge.Message);

    private static readonly string[] HopByHopHeaders = ["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "apigw-requestid"];

    private readonly HttpApi _api;
    private readonly AwsRequestAuthenticator _authenticator;
    private readonly LambdaRuntimes _runtimes;
    private readonly TimeProvider _clock;
    private readonly TokenBucket? _bucket;
    private readonly ILogger _logger;
    private readonly HttpApiTelemetry _telemetry;

    /// <param name="loggers">LocalAws's own: for the gateway's failures, which are LocalAws's, not the API's.</param>
    public HttpApiGateway(HttpApi api, AwsRequestAuthenticator authenticator, LambdaRuntimes runtimes, TimeProvider clock, HttpApiTelemetry telemetry, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(loggers);
        _api = api;
        _authenticator = authenticator;
        _runtimes = runtimes;
        _clock = clock;
        _bucket = api.Throttle is { } limits ? new TokenBucket(limits.RateLimit, limits.BurstLimit, clock) : null;
        _telemetry = telemetry;
        _logger = loggers.CreateLogger<HttpApiGateway>();
    }

    public HttpApi Api => _api;

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var started = _clock.GetTimestamp();
        var requestId = NewRequestId();
        context.Response.Headers["apigw-requestid"] = requestId;
        var target = RequestPath.RawTarget(request);
        var entry = new AccessLogEntry(requestId, _clock.GetUtcNow(), request.Method, request.Protocol,
            context.Connection.RemoteIpAddress?.ToString() ?? "-", request.Headers.UserAgent.ToString())
        {
            Path = target.Path,
        };
        using var activity = _telemetry.StartRequest(_api, requestId, request);
        try
        {
            await ServeAsync(context, target, entry, activity);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away: nobody is left to answer.
            entry.Status = 499;
            entry.ErrorMessage = "client closed the connection";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailure(_logger, ex, _api.Name, requestId);
            entry.ErrorMessage = GatewayResponse.IntegrationFailed.Message;
            if (!context.Response.HasStarted)
            {
                // Nothing of a half-written answer stays: the client gets API Gateway's error with its headers.
                context.Response.Clear();
                context.Response.Headers["apigw-requestid"] = requestId;
                await RespondAsync(context, entry, GatewayResponse.IntegrationFailed);
            }
        }
        finally
        {
            entry.ResponseLatency = _clock.GetElapsedTime(started);
            activity?.SetTag("http.response.status_code", entry.Status);
            if (entry.Status >= 500)
            {
                activity?.SetStatus(ActivityStatusCode.Error, entry.ErrorMessage);
            }

            WriteAccessLog(entry);
            _telemetry.Record(_api, entry);
        }
    }

    private async Task ServeAsync(HttpContext context, (string Path, string Query) target, AccessLogEntry entry, Activity? activity)
    {
        var request = context.Request;
        if (ApiHost.DomainName(_api, context) is not { } domainName)
        {
            await RespondAsync(context, entry, GatewayResponse.Forbidden);
            return;
        }

        // One canonical path for the stage, the route, the resource IAM evaluates and the event.
        if (RequestPath.Parse(target.Path) is not { } fullPath)
        {
            await RespondAsync(context, entry, GatewayResponse.BadRequest);
            return;
        }

        entry.Path = fullPath.Value;
        if (_api.PathInStage(fullPath) is not { } path)
        {
            await RespondAsync(context, entry, GatewayResponse.NotFound);
            return;
        }

        if (_bucket is not null && !_bucket.TryTake())
        {
            activity?.SetTag("aws.api_gateway.throttled", true);
            await RespondAsync(context, entry, GatewayResponse.Throttled);
            return;
        }

        if (_api.Cors is { } cors && CorsPolicy.IsPreflight(request))
        {
            cors.WritePreflight(request, context.Response);
            entry.Status = context.Response.StatusCode;
            return;
        }

        if (_api.Routes.Match(request.Method, path) is not { } match)
        {
            await RespondAsync(context, entry, GatewayResponse.NotFound);
            return;
        }

        entry.Route = match.Route.Key;
        HttpApiTelemetry.Routed(activity, request.Method, match.Route.Key);

        byte[] body;
        try
        {
            body = await RequestBody.ReadAsync(request, MaxBodyBytes, BodyTooLarge, AwsProtocol.RestJson, context.RequestAborted);
        }
        catch (AwsServiceException ex)
        {
            await RespondAsync(context, entry, ex.Error.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? GatewayResponse.TooLarge
                : GatewayResponse.BadRequest);
            return;
        }

        entry.RequestLength = body.Length;
        CallerIdentity? caller = null;
        string? accessKeyId = null;
        if (match.Route.RequiresIam)
        {
            var (identity, verification) = _authenticator.Authenticate(request, body, "execute-api");
            if (identity is null)
            {
                await RespondAsync(context, entry, GatewayResponse.FromVerification(verification));
                return;
            }

            (caller, accessKeyId) = (identity, verification.Authorization!.AccessKeyId);
            entry.CallerArn = caller.Arn;
            entry.CallerId = caller.UserId;
            entry.CallerAccountId = caller.AccountId;
            activity?.SetTag("aws.principal.arn", caller.Arn);
            var resource = _api.InvokeArn(request.Method, path);
            var decision = IamAuthorizer.Decide(caller, ExecuteApiArn.InvokeAction, resource, _api.Region, request.IsHttps);
            if (decision.Decision != PolicyDecision.Allow)
            {
                await RespondAsync(context, entry, GatewayResponse.AccessDenied(caller.Arn, resource, decision.Decision == PolicyDecision.ExplicitDeny));
                return;
            }
        }

        var lambdaEvent = HttpApiEvent.Build(request, body, new HttpApiEvent.Context(_api, fullPath, target.Query, domainName, match, entry.RequestId, entry.RequestTime, caller, accessKeyId));
        await InvokeAsync(context, entry, match.Route, lambdaEvent);
    }

    private async Task InvokeAsync(HttpContext context, AccessLogEntry entry, HttpRoute route, Amazon.Lambda.APIGatewayEvents.APIGatewayHttpApiV2ProxyRequest lambdaEvent)
    {
        var runtime = _runtimes.Find(route.Function);
        if (runtime is null && !_api.EnforcesFunctionPolicy)
        {
            throw new InvalidOperationException($"The route {route.Key} names the function {route.Function}, which LocalAws does not serve.");
        }

        // API Gateway invokes as itself: the function's resource-based policy must let it in from this route.
        if (runtime is null || (_api.EnforcesFunctionPolicy
            && !FunctionPolicy.AllowsService(runtime.Function, "apigateway.amazonaws.com", _api.SourceArn(context.Request.Method, route.Key), _api.AccountId)))
        {
            entry.IntegrationErrorMessage = runtime is null
                ? $"The function {route.Function} does not exist."
                : "Execution failed due to configuration error: Invalid permissions on Lambda function";
            await RespondAsync(context, entry, GatewayResponse.IntegrationFailed);
            return;
        }

        using var invocation = _telemetry.StartInvocation(route.Function);

        // The function's spans join the gateway's trace: W3C traceparent in the event, the X-Ray header beside it.
        if (invocation is not null)
        {
            lambdaEvent.Headers!["traceparent"] = invocation.Id!;
            lambdaEvent.Headers.Remove("tracestate");
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(lambdaEvent, GatewayJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
        if (payload.Length > LambdaApi.MaxSyncPayloadBytes)
        {
            await RespondAsync(context, entry, GatewayResponse.TooLarge);
            return;
        }

        var integrationStarted = _clock.GetTimestamp();
        InvocationResult result;
        try
        {
            result = await runtime.InvokeAsync(new InvocationRequest(payload), InvocationTrace.XRayHeader(invocation))
                .WaitAsync(route.Timeout, _clock, context.RequestAborted);
        }
        catch (TimeoutException)
        {
            entry.IntegrationErrorMessage = $"The function did not answer within the integration timeout of {route.Timeout.TotalMilliseconds:0} ms.";
            invocation?.SetStatus(ActivityStatusCode.Error, "IntegrationTimeout");
            await RespondAsync(context, entry, GatewayResponse.IntegrationTimedOut);
            return;
        }
        catch (AwsServiceException ex)
        {
            // Lambda refused the invocation (no environment, all busy): API Gateway reports an integration failure.
            entry.IntegrationStatus = ex.Error.StatusCode;
            entry.IntegrationErrorMessage = ex.Error.Message;
            invocation?.SetStatus(ActivityStatusCode.Error, ex.Error.Code);
            await RespondAsync(context, entry, GatewayResponse.IntegrationFailed);
            return;
        }
        finally
        {
            entry.IntegrationLatency = _clock.GetElapsedTime(integrationStarted);
        }

        entry.IntegrationStatus = StatusCodes.Status200OK;
        if (result.Failed)
        {
            entry.IntegrationErrorMessage = "The Lambda function returned an error: " + ErrorType(result.Payload);
            invocation?.SetStatus(ActivityStatusCode.Error, result.FunctionError);
            await RespondAsync(context, entry, GatewayResponse.IntegrationFailed);
            return;
        }

        if (IntegrationResponse.Parse(result.Payload) is not { } answer)
        {
            entry.IntegrationErrorMessage = "The Lambda function's response is not a valid payload 2.0 response.";
            await RespondAsync(context, entry, GatewayResponse.IntegrationFailed);
            return;
        }

        await WriteAsync(context, entry, answer);
    }

    private async Task WriteAsync(HttpContext context, AccessLogEntry entry, IntegrationResponse answer)
    {
        var response = context.Response;
        response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers)
        {
            if (!HopByHopHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }

        foreach (var cookie in answer.Cookies)
        {
            response.Headers.Append("Set-Cookie", cookie);
        }

        _api.Cors?.Apply(context.Request, response.Headers);
        entry.Status = answer.StatusCode;
        // These answers carry no body: Kestrel refuses to write one (or a Content-Length) for them.
        if (HttpMethods.IsHead(context.Request.Method)
            || answer.StatusCode is StatusCodes.Status204NoContent or StatusCodes.Status205ResetContent or StatusCodes.Status304NotModified)
        {
            return;
        }

        response.ContentLength = answer.Body.Length;
        entry.ResponseLength = answer.Body.Length;
        await response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }

    private async Task RespondAsync(HttpContext context, AccessLogEntry entry, GatewayResponse answer)
    {
        _api.Cors?.Apply(context.Request, context.Response.Headers);
        entry.Status = answer.StatusCode;
        entry.ErrorMessage = answer.Message;
        entry.ResponseLength = await answer.WriteAsync(context.Response);
    }

    private void WriteAccessLog(AccessLogEntry entry)
    {
        var accessLog = _telemetry.AccessLog;
        if (!accessLog.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var line = _api.AccessLogFormat.Render(entry);
        var fields = _api.AccessLogFormat.Fields(entry);
        accessLog.Log(LogLevel.Information, new EventId(1, "AccessLog"), fields, null, (_, _) => line);
    }

    /// <summary>API Gateway's request id shape: 16 base64 characters, e.g. <c>Lx2Z5iCuIAMEJUA=</c>.</summary>
    private static string NewRequestId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(11));

    private static string ErrorType(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.TryGetProperty("errorType", out var type) ? type.ToString() : "Unknown";
        }
        catch (JsonException)
        {
            return "Unknown";
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "HTTP API {Api} failed to serve request {RequestId}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string api, string requestId);
}
