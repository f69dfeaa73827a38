using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Tap.Function;

/// <summary>The API: <c>ANY /</c> and <c>ANY /{**proxy}</c> describe the request they received.</summary>
internal static class ApiEndpoints
{
    public const string SuccessMessage = "Request processed successfully";

    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map("/", HandleRequest);
        endpoints.Map("/{**proxy}", HandleRequest);
        return endpoints;
    }

    private static ApiResponse HandleRequest(HttpContext context, [FromServices] TimeProvider clock) => new(
        Message: SuccessMessage,
        Method: context.Request.Method,
        // The stage (if any) is PathBase, so this is the path the app routed.
        Path: context.Request.Path.HasValue ? context.Request.Path.Value : "/",
        RequestId: context.TraceIdentifier,
        Timestamp: FormatTimestamp(clock.GetUtcNow()),
        ConfigLoaded: false,
        AvailableConfigKeys: [],
        Caller: null);

    /// <summary>UTC ISO-8601 with milliseconds, e.g. <c>2026-11-28T00:00:00.000Z</c>.</summary>
    internal static string FormatTimestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
