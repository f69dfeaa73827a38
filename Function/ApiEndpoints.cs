using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Tap.Aws.Lambda.Hosting;
using Tap.Aws.SecretsManager;

namespace Tap.Function;

/// <summary>The API: <c>ANY /</c> and <c>ANY /{**proxy}</c> describe the request they received.</summary>
internal static class ApiEndpoints
{
    public const string SuccessMessage = "Request processed successfully";

    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/", HandleRequestAsync);
        endpoints.Map("/{**proxy}", HandleRequestAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleRequestAsync(HttpContext context, [FromServices] AppConfiguration configuration, [FromServices] TimeProvider clock)
    {
        SecretJson secret;
        try
        {
            secret = await configuration.GetAsync(context.RequestAborted);
        }
        catch (ConfigurationUnavailableException)
        {
            return ErrorResponse.Result(context);
        }

        return TypedResults.Ok(new ApiResponse(
            Message: SuccessMessage,
            Method: context.Request.Method,
            // The stage (if any) is PathBase, so this is the path the app routed.
            Path: context.Request.Path.HasValue ? context.Request.Path.Value : "/",
            RequestId: context.TraceIdentifier,
            Timestamp: FormatTimestamp(clock.GetUtcNow()),
            ConfigLoaded: true,
            AvailableConfigKeys: [.. secret.Keys],
            Caller: context.User.FindFirst(LambdaClaimTypes.UserArn)?.Value));
    }

    /// <summary>UTC ISO-8601 with milliseconds, e.g. <c>2026-11-28T00:00:00.000Z</c>.</summary>
    internal static string FormatTimestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
