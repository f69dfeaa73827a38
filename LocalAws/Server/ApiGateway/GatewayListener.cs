using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// The listener of one HTTP API: a Kestrel server of its own on the API's address that answers only the API's
/// requests, with API Gateway's request limits and LocalAws's logging.
/// </summary>
internal static class GatewayListener
{
    public static WebApplication Build(string url, RequestDelegate handler, ILoggerFactory loggers)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayListener).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(url);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 2L * HttpApiGateway.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = HttpApiGateway.MaxRequestLineAndHeaderBytes;
            kestrel.Limits.MaxRequestLineSize = HttpApiGateway.MaxRequestLineAndHeaderBytes;
        });

        // LocalAws's logging, so gateway logs reach the same console and OTLP exporter; LocalAws's own lifetime
        // reports the start and handles Ctrl+C.
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(loggers));
        var app = builder.Build();
        app.Run(handler);
        return app;
    }

    /// <summary>Where a started listener listens (the bound port, when it was asked for port 0).</summary>
    public static Uri? Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            ? new Uri(address)
            : null;
    }
}
