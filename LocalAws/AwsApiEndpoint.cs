using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.LocalAws.Auth;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Sts;

namespace Tap.LocalAws;

/// <summary>
/// <c>/</c>: every AWS API served here. JSON protocol requests (<c>X-Amz-Target</c>) go to Secrets Manager; Query
/// protocol requests (<c>Action=</c>) go to STS. Each is SigV4-verified for its service, then authorized by IAM.
/// </summary>
internal static partial class AwsApiEndpoint
{
    public static IEndpointRouteBuilder MapAwsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/", ["GET", "POST"], HandleAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task HandleAsync(
        HttpContext context,
        AwsRequestAuthenticator authenticator,
        SecretsManagerApi secretsManager,
        StsApi sts,
        IOptions<LocalAwsOptions> options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("Tap.LocalAws.Api");
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers[AwsHeaders.RequestId] = requestId;

        var target = context.Request.Headers[AwsHeaders.Target].ToString();
        var protocol = target.Length > 0 ? AwsProtocol.Json : AwsProtocol.Query;
        var (service, operation) = protocol == AwsProtocol.Json
            ? (AwsServiceMetadata.SecretsManager.DisplayName, target.Split('.')[^1])
            : (AwsServiceMetadata.Sts.DisplayName, "(unknown)");
        CallerIdentity? caller = null;
        AccessCheck? access = null;
        Activity? activity = null;
        try
        {
            var body = await RequestBody.ReadAsync(context.Request, protocol, context.RequestAborted);
            Dictionary<string, string> parameters;
            string signingName;
            if (protocol == AwsProtocol.Json)
            {
                var secretsManagerService = AwsServiceMetadata.SecretsManager;
                if (!target.StartsWith(secretsManagerService.JsonTargetPrefix!, StringComparison.Ordinal))
                {
                    throw AwsServiceException.Json("UnknownOperationException", $"The target {target} is not served by this endpoint.");
                }

                (operation, signingName, parameters) = (target[secretsManagerService.JsonTargetPrefix!.Length..], secretsManagerService.SigningName, new Dictionary<string, string>());
            }
            else
            {
                parameters = QueryParameters(context.Request, body);
                operation = parameters.TryGetValue("Action", out var action) ? action : "(none)";
                signingName = AwsServiceMetadata.Sts.SigningName;
            }

            activity = LocalAwsTelemetry.StartOperation(service, operation, requestId);
            var (identity, verification) = authenticator.Authenticate(context.Request, body, signingName);
            caller = identity ?? throw new AwsServiceException(AwsError.FromVerification(verification, protocol));
            activity?.SetTag("aws.principal.arn", caller.Arn);
            access = new AccessCheck(caller, options.Value.Region, context.Request.IsHttps, protocol);

            if (protocol == AwsProtocol.Json)
            {
                await secretsManager.HandleAsync(context, operation, body, access);
            }
            else
            {
                if (!parameters.ContainsKey("Action"))
                {
                    throw AwsServiceException.Query(400, "MissingAction", "Could not find operation: the request has no Action parameter.");
                }

                await sts.HandleAsync(context, operation, parameters, access, requestId);
            }

            LogOutcome(logger, service, operation, caller.Arn, access.Resource ?? "-", "Success");
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            // The client went away: nobody is left to answer, and nothing failed on this side.
            activity?.SetStatus(ActivityStatusCode.Error, "ClientDisconnected");
            LogClientGone(logger, service, operation);
        }
        catch (AwsServiceException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Code);
            activity?.SetTag("aws.error.code", ex.Error.Code);
            LogOutcome(logger, service, operation, caller?.Arn ?? "anonymous", access?.Resource ?? "-", ex.Error.Code);
            await WriteErrorAsync(context.Response, protocol, ex.Error, requestId);
        }
        catch (SecretStorageException ex)
        {
            // The store could not make a change durable and undid it: a server-side failure, with its cause logged.
            activity?.SetStatus(ActivityStatusCode.Error, "StorageFailure");
            LogStorageFailure(logger, ex.InnerException!, service, operation, access?.Resource ?? "-");
            await WriteErrorAsync(context.Response, protocol, new AwsError(500, ServerErrorCode(protocol), ex.Message), requestId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect here must still answer in the protocol's shape, as AWS answers InternalFailure.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogFailure(logger, ex, service, operation);
            await WriteErrorAsync(context.Response, protocol,
                new AwsError(500, ServerErrorCode(protocol), "The request processing has failed because of an unknown error."), requestId);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    private static string ServerErrorCode(AwsProtocol protocol) => protocol == AwsProtocol.Json ? "InternalServiceError" : "InternalFailure";

    private static Task WriteErrorAsync(HttpResponse response, AwsProtocol protocol, AwsError error, string requestId) =>
        protocol == AwsProtocol.Json
            ? JsonProtocol.WriteErrorAsync(response, error)
            : QueryProtocol.WriteErrorAsync(response, error, requestId);

    /// <summary>Query protocol parameters: the query string, plus a form-encoded body.</summary>
    private static Dictionary<string, string> QueryParameters(HttpRequest request, byte[] body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in QueryHelpers.ParseQuery(request.QueryString.Value))
        {
            result[key] = value.ToString();
        }

        if (body.Length > 0 && request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                result[key] = value.ToString();
            }
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}.{Operation} failed unexpectedly")]
    private static partial void LogFailure(ILogger logger, Exception exception, string service, string operation);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Service}.{Operation} on {Resource} could not store its change; the change was undone")]
    private static partial void LogStorageFailure(ILogger logger, Exception exception, string service, string operation, string resource);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Service}.{Operation}: the client disconnected before the answer")]
    private static partial void LogClientGone(ILogger logger, string service, string operation);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service}.{Operation} by {Principal} on {Resource}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string service, string operation, string principal, string resource, string outcome);
}
