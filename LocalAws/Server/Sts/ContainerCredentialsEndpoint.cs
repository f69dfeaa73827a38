using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Sts;

/// <summary>
/// The container credentials endpoint the AWS SDKs read through <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> and
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>: a role's temporary credentials, fresh on every call, so a process never
/// holds expiring keys. Loopback callers only, with the role's token; or, for a hosted function, with the function's
/// token, the credentials of the role the function has now (a session named after the function, as Lambda's).
/// </summary>
internal static class ContainerCredentialsEndpoint
{
    public const string PathPrefix = LocalAwsPrincipalSettings.ContainerCredentialsPathPrefix;

    public static IEndpointRouteBuilder MapContainerCredentials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PathPrefix + "/{role}", Handle).ExcludeFromDescription();
        endpoints.MapGet(LocalAwsHostedFunctionSettings.CredentialsPathPrefix + "/{function}/credentials", HandleFunction).ExcludeFromDescription();
        return endpoints;
    }

    internal static IResult Handle(string role, HttpContext context, IamDirectory iam)
    {
        var principal = iam.Principals.FirstOrDefault(p => p.IsRole && p.ResourceName == role);
        return Refused(context, principal?.ContainerCredentialsToken) ?? Credentials(iam.ContainerSession(principal!));
    }

    internal static IResult HandleFunction(string function, HttpContext context, IamDirectory iam, LocalAwsSettings settings, LambdaService lambda)
    {
        if (Refused(context, settings.HostedFunctions.FirstOrDefault(f => f.Name == function)?.CredentialsToken) is { } refused)
        {
            return refused;
        }

        if (lambda.Find(function) is not { } deployed)
        {
            return Message($"Function not found: {lambda.Arn(function)}", 404);
        }

        // The role the function has now: a stack update may have given it another.
        return iam.FindRole(deployed.Role) is { } role
            ? Credentials(iam.ContainerSession(role, function))
            : Message($"The role defined for the function cannot be assumed by Lambda: {deployed.Role} does not exist.", 403);
    }

    /// <summary>A caller that is not on this machine, or does not present the token, is refused.</summary>
    private static IResult? Refused(HttpContext context, string? token)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return Message("Container credentials are served to loopback callers only.", 403);
        }

        var presented = context.Request.Headers.Authorization.ToString();
        return token is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(presented))
            ? Message("Invalid authorization token.", 401)
            : null;
    }

    private static IResult Message(string message, int status) =>
        Results.Json(new Dictionary<string, string> { ["message"] = message }, statusCode: status);

    private static IResult Credentials(TemporaryCredentials session)
    {
        var principal = session.Identity.Principal;
        return Results.Json(new Dictionary<string, string>
        {
            ["AccessKeyId"] = session.AccessKeyId,
            ["SecretAccessKey"] = session.SecretAccessKey,
            ["Token"] = session.SessionToken,
            ["Expiration"] = AwsTimestamp.ToIso8601(session.Expiration),
            ["RoleArn"] = principal.Arn,
        });
    }
}
