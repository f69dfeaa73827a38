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
using Tap.LocalAws.Sts;

namespace Tap.LocalAws;

/// <summary>
/// <c>/</c>: every AWS API served here. JSON protocol requests (<c>X-Amz-Target</c>) go to Secrets Manager; Query
/// protocol requests (<c>Action=</c>) go to STS. Each is SigV4-verified for its service, then authorized by IAM.
/// </summary>
internal static partial class AwsApiEndpoint
{
    private const int MaxBodyBytes = 1024 * 1024;

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
        var (service, operation, signingName) = ("?", "?", "?");
        CallerIdentity? caller = null;
        AccessCheck? access = null;
        Activity? activity = null;
        try
        {
            var body = await ReadBodyAsync(context.Request, protocol);
            Dictionary<string, string> parameters;
            if (protocol == AwsProtocol.Json)
            {
                var secretsManagerService = AwsServiceMetadata.SecretsManager;
                if (!target.StartsWith(secretsManagerService.JsonTargetPrefix!, StringComparison.Ordinal))
                {
                    throw AwsServiceException.Json("UnknownOperationException", $"The target {target} is not served by this endpoint.");
                }

                (service, operation, signingName, parameters) = (secretsManagerService.DisplayName, target[secretsManagerService.JsonTargetPrefix!.Length..],
                    secretsManagerService.SigningName, new Dictionary<string, string>());
            }
            else
            {
                parameters = QueryParameters(context.Request, body);
                operation = parameters.TryGetValue("Action", out var action) ? action : "?";
                (service, signingName) = (AwsServiceMetadata.Sts.DisplayName, AwsServiceMetadata.Sts.SigningName);
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
                if (operation == "?")
                {
                    throw AwsServiceException.Query(400, "MissingAction", "Could not find operation: the request has no Action parameter.");
                }

                await sts.HandleAsync(context, operation, parameters, access, requestId);
            }

            LogOutcome(logger, service, operation, caller.Arn, access.Resource ?? "-", "Success");
        }
        catch (AwsServiceException ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Error.Code);
            activity?.SetTag("aws.error.code", ex.Error.Code);
            LogOutcome(logger, service, operation, caller?.Arn ?? "anonymous", access?.Resource ?? "-", ex.Error.Code);
            await (protocol == AwsProtocol.Json
                ? JsonProtocol.WriteErrorAsync(context.Response, ex.Error)
                : QueryProtocol.WriteErrorAsync(context.Response, ex.Error, requestId));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A defect here must still answer in the protocol's shape, as AWS answers InternalFailure.
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            LogFailure(logger, ex, service, operation);
            var error = new AwsError(500, protocol == AwsProtocol.Json ? "InternalServiceError" : "InternalFailure", "The request processing has failed because of an unknown error.");
            await (protocol == AwsProtocol.Json
                ? JsonProtocol.WriteErrorAsync(context.Response, error)
                : QueryProtocol.WriteErrorAsync(context.Response, error, requestId));
        }
        finally
        {
            activity?.Dispose();
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, AwsProtocol protocol)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge(protocol);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.Length > MaxBodyBytes ? throw TooLarge(protocol) : buffer.ToArray();
    }

    private static AwsServiceException TooLarge(AwsProtocol protocol) => new(new AwsError(
        protocol == AwsProtocol.Json ? 400 : 413,
        protocol == AwsProtocol.Json ? "ValidationException" : "RequestEntityTooLarge",
        $"The request body exceeds {MaxBodyBytes} bytes."));

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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Service}.{Operation} by {Principal} on {Resource}: {Outcome}")]
    private static partial void LogOutcome(ILogger logger, string service, string operation, string principal, string resource, string outcome);
}
