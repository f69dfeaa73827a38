namespace Tap.Function;

/// <summary>Echoes the request id in <c>X-Request-ID</c> on every response, errors included.</summary>
internal static class RequestIdHeader
{
    public const string Name = "X-Request-ID";

    public static IApplicationBuilder UseRequestIdHeader(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // OnStarting survives the exception handler clearing the response, so 500s carry the id too.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Name] = context.TraceIdentifier;
                return Task.CompletedTask;
            });
            return next(context);
        });
}
