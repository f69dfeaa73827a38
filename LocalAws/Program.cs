using OpenTelemetry.Trace;
using Tap.LocalAws;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.Sts;

var builder = WebApplication.CreateBuilder(args);

// `--config <file.json>` adds a JSON file on top of the usual configuration sources.
if (builder.Configuration["config"] is { Length: > 0 } configFile)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
}

builder.AddServiceDefaults();
builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(LocalAwsTelemetry.ActivitySourceName));
builder.Services.Configure<LocalAwsOptions>(builder.Configuration.GetSection(LocalAwsOptions.SectionName));
builder.Services.AddLocalAws();

var app = builder.Build();

// Load state now: a damaged data directory stops the start with a clear message instead of failing requests later.
app.Services.GetRequiredService<SecretStore>();

// Unauthenticated by design, as AWS's own health endpoints are; served in every environment.
app.MapHealthChecks(HealthCheckExtensions.HealthEndpointPath);
app.MapContainerCredentials();
app.MapAwsApi();

await app.RunAsync();
