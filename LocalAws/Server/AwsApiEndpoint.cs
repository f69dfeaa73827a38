using System.Diagnostics;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Services;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Telemetry;

namespace Tap.LocalAws;

/// <summary>
/// The one pipeline of every AWS API served here: it finds the service a request is for (each
/// <see cref="IAwsServiceApi"/> declares its route and operations), reads the body within the service's limit,
/// verifies SigV4 for the service's signing name, hands the service the caller's authorization, and traces, logs
/// and shapes errors in the service's protocol.
/// </summary>
internal static partial class AwsApiEndpoint
{
    public static IEndpointRouteBuilder MapAwsApi(this IEndpointRouteBuilder endpoints)
    {
        var provider = endpoints.ServiceProvider;
        var services = provider.GetServices<IAwsServiceApi>().ToList();
        var pipeline = new Pipeline(
            provider.GetRequiredService<AwsRequestAuthenticator>(),
            provider.GetRequiredService<LocalAwsSettings>().Region,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Tap.LocalAws.Api"));
        foreach (var pattern in services.SelectMany(s => s.RoutePatterns).Distinct(StringComparer.Ordinal))
        {
            var candidates = services.Where(s => s.RoutePatterns.Contains(pattern, StringComparer.Ordinal)).ToArray();
            endpoints.Map(pattern, context => HandleAsync(context, candidates, pipeline)).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static async Task HandleAsync(HttpContext context, IAwsServiceApi[] candidates, Pipeline pipeline)
    {
        var logger = pipeline.Logger;
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers[AwsHeaders.RequestId] = requestId;

        var service = Find(candidates, context.Request);
        var protocol = service?.ProtocolOf(context.Request) ?? (context.Request.Headers.ContainsKey(AwsHeaders.Target) ? AwsProtocol.Json : AwsProtocol.RestJson);
        var serviceName = service?.Metadata.DisplayName ?? "(unknown)";
        var operationName = "(unknown)";
        CallerIdentity? caller = null;
        AccessCheck? access = null;
        Activity? activity = null;
        try
        {
            if (service is null)
            {
                throw new AwsServiceException(protocol == AwsProtocol.Json
                    ? new AwsError(400, "UnknownOperationException", $"The target {context.Request.Headers[AwsHeaders.Target]} is not served by this endpoint.")
                    : new AwsError(404, "UnknownOperationException", $"No operation is served at {context.Request.Method} {context.Request.Path}."));
            }

            var body = service.StreamsBody
                ? []
                : await RequestBody.ReadAsync(context.Request, service.MaxRequestBytes, service.RequestTooLarge, protocol, context.RequestAborted);
            var route = service.Route(context.Request, body);
            operationName = route.Operation.Name;
            activity = LocalAwsTelemetry.StartOperation(serviceName, operationName, requestId, context.Request);
            var (identity, verification) = service.StreamsBody
                ? pipeline.Authenticator.AuthenticateStreaming(context.Request, service.Metadata.SigningName)
                : pipeline.Authenticator.Authenticate(context.Request, body, service.Metadata.SigningName);
            caller = identity ?? throw new AwsServiceException(AwsError.FromVerification(verification, protocol));
            activity?.SetTag("aws.principal.arn", caller.Arn);
            access = new AccessCheck(caller, route.Operation, pipeline.Region, context.Request.IsHttps, protocol, service.Metadata.AccessDeniedCode);

            await service.HandleAsync(new AwsCall(context, route.Operation, body, route.Parameters, access, requestId) { Signature = verification.Authorization });
            LogOutcome(logger, serviceName, operationName, caller.Arn, access.Resource ?? "-", "Success");
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away: nobody is left to answer, and nothing failed on this side.
            activity?.SetStatus(ActivityStatusCode.Error, "ClientDisconnected");
            LogClientGone(logger, serviceName, operationName);
        }
        catch (AwsServiceException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Code);
            activity?.SetTag("aws.error.code", ex.Error.Code);
            LogOutcome(logger, serviceName, operationName, caller?.Arn ?? "anonymous", access?.Resource ?? "-", ex.Error.Code);
            await AwsErrorResponse.WriteAsync(context.Response, protocol, ex.Error, requestId, service?.Metadata);
        }
        catch (SecretStorageException ex)
        {
            // The store could not make a change durable and undid it: a server-side failure, with its cause logged.
            activity?.SetStatus(ActivityStatusCode.Error, "StorageFailure");
            LogStorageFailure(logger, ex.InnerException!, serviceName, operationName, access?.Resource ?? "-");
            await AwsErrorResponse.WriteAsync(context.Response, protocol,
                new AwsError(500, AwsErrorResponse.ServerErrorCode(protocol), ex.Message), requestId, service?.Metadata);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect here must still answer in the protocol's shape, as AWS answers InternalFailure.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogFailure(logger, ex, serviceName, operationName);
            await AwsErrorResponse.WriteAsync(context.Response, protocol,
                new AwsError(500, AwsErrorResponse.ServerErrorCode(protocol), "The request processing has failed because of an unknown error."), requestId, service?.Metadata);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    private static IAwsServiceApi? Find(IAwsServiceApi[] candidates, HttpRequest request)
    {
        foreach (var candidate in candidates)
        {
            if (candidate.Accepts(request))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>What every request shares, resolved once when the endpoints are mapped.</summary>
    private sealed record Pipeline(AwsRequestAuthenticator Authenticator, string Region, ILogger Logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}.{Operation} failed unexpectedly")]
    private static partial void LogFailure(ILogger logger, Exception exception, string service, string operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}.{Operation} on {Resource} could not store its change; the change was undone")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string service, string operation, string resource);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service}.{Operation}: the client disconnected before the answer")]
    private static partial void LogClientGone(ILogger logger, string service, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service}.{Operation} by {Principal} on {Resource}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string service, string operation, string principal, string resource, string outcome);
}
