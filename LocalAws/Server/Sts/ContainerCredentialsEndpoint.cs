using System.Net;
using System.Security.Cryptography;
using System.Text;
using Tap.Aws.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Sts;

/// <summary>
/// The container credentials endpoint the AWS SDKs read through <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> and
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>: a role's temporary credentials, fresh on every call, so a process never
/// holds expiring keys. Loopback callers only, with the role's token.
/// </summary>
internal static class ContainerCredentialsEndpoint
{
    public const string PathPrefix = LocalAwsPrincipalSettings.ContainerCredentialsPathPrefix;

    public static IEndpointRouteBuilder MapContainerCredentials(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PathPrefix + "/{role}", Handle).ExcludeFromDescription();
        return endpoints;
    }

    internal static IResult Handle(string role, HttpContext context, IamDirectory iam)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            return Results.Json(new Dictionary<string, string> { ["message"] = "Container credentials are served to loopback callers only." }, statusCode: 403);
        }

        var principal = iam.Principals.FirstOrDefault(p => p.IsRole && p.ResourceName == role);
        var presented = context.Request.Headers.Authorization.ToString();
        if (principal?.ContainerCredentialsToken is not { } token
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(presented)))
        {
            return Results.Json(new Dictionary<string, string> { ["message"] = "Invalid authorization token." }, statusCode: 401);
        }

        var session = iam.ContainerSession(principal);
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
