using System.Diagnostics;
using Tap.Aws.Lambda.Hosting;

namespace Tap.Function;

/// <summary>
/// One structured entry per request: method, path, status, duration, request id, source IP, caller and user agent.
/// Only these fields: never headers such as Authorization or X-Amz-Security-Token, never cookies or bodies.
/// </summary>
internal static partial class RequestLogging
{
    /// <summary>
    /// ASP.NET Core's hosting diagnostics log every request's full URL, query string included (a presigned request's
    /// <c>X-Amz-Signature</c> and <c>X-Amz-Security-Token</c>), at Information and Debug. This rule is added after the
    /// configured ones, so it wins over any level the configuration gives that category or <c>Default</c>; the
    /// request log below says what they would, without the query.
    /// </summary>
    public static IServiceCollection KeepQueryStringsOutOfLogs(this IServiceCollection services) =>
        services.PostConfigure<LoggerFilterOptions>(options =>
            options.Rules.Add(new LoggerFilterRule(providerName: null, "Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning, filter: null)));

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Tap.Function.Requests");
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                Log(logger, context, Stopwatch.GetElapsedTime(started));
            }
        });
    }

    private static void Log(ILogger logger, HttpContext context, TimeSpan elapsed)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var path = context.Request.PathBase.Add(context.Request.Path).Value ?? "/";
        var sourceIp = context.Connection.RemoteIpAddress?.ToString();
        var caller = context.User.FindFirst(LambdaClaimTypes.UserArn)?.Value;
        var userAgent = context.Request.Headers.UserAgent.ToString();
        LogRequest(logger, context.Request.Method, path, context.Response.StatusCode, elapsed.TotalMilliseconds, context.TraceIdentifier, sourceIp, caller, userAgent);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Method} {Path} answered {StatusCode} in {DurationMs:F1} ms (request {RequestId}, source {SourceIp}, caller {UserArn}, agent {UserAgent})")]
    private static partial void LogRequest(
        ILogger logger, string method, string path, int statusCode, double durationMs, string requestId, string? sourceIp, string? userArn, string userAgent);
}
