using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// The listener of one HTTP API: a Kestrel server of its own on the API's address that answers only the API's
/// requests, with API Gateway's request limits and LocalAws's logging. ASP.NET Core's own request spans and
/// metrics are kept out: the API's telemetry is the gateway's, under the API's resource, and LocalAws's own spans
/// and metrics describe LocalAws's APIs alone.
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

        // Providers subscribe by name: under names of their own, the host's diagnostics, activity source and meters
        // have no listener, so they create no spans and record no measurements.
        builder.Services.RemoveAll<DiagnosticListener>();
        builder.Services.RemoveAll<DiagnosticSource>();
        builder.Services.RemoveAll<ActivitySource>();
        builder.Services.RemoveAll<IMeterFactory>();
        builder.Services.AddSingleton(new DiagnosticListener(UnobservedName));
        builder.Services.AddSingleton<DiagnosticSource>(provider => provider.GetRequiredService<DiagnosticListener>());
        builder.Services.AddSingleton(new ActivitySource(UnobservedName));
        builder.Services.AddSingleton<IMeterFactory, UnobservedMeterFactory>();
        var app = builder.Build();
        app.Run(context =>
        {
            // The host still starts an unexported activity when its logger is on; the API's span must not be its child.
            Activity.Current = null;
            return handler(context);
        });
        return app;
    }

    private const string UnobservedName = "Tap.LocalAws.GatewayListener";

    /// <summary>Where a started listener listens (the bound port, when it was asked for port 0).</summary>
    public static Uri? Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is { } address
            ? new Uri(address)
            : null;
    }

    /// <summary>Meters under names no provider subscribes to, so Kestrel's and the host's instruments stay off.</summary>
    private sealed class UnobservedMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var meter = new Meter(new MeterOptions($"{UnobservedName}.{options.Name}") { Version = options.Version, Tags = options.Tags, Scope = this });
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            lock (_meters)
            {
                _meters.ForEach(m => m.Dispose());
                _meters.Clear();
            }
        }
    }
}
