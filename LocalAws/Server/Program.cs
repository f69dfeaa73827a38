using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Trace;
using Tap.LocalAws;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.CloudFormation;
using Tap.LocalAws.CloudFormation.Storage;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Lambda.Runtime;
using Tap.LocalAws.Logs;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.S3.Storage;
using Tap.LocalAws.SecretsManager.Storage;
using Tap.LocalAws.Ssm;
using Tap.LocalAws.Sts;
using Tap.LocalAws.Telemetry;
using Tap.LocalAws.Tls;

// appsettings.json is read from beside the program, so LocalAws behaves the same from any working directory
// (a test host names its own content root).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
});

// `--config <file.json>` adds a JSON file on top of the usual configuration sources.
if (builder.Configuration["config"] is { Length: > 0 } configFile)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
}

// Request URLs can carry credentials (presigned URLs hold a signature and a session token): the host's request
// lines are never logged, whatever the configured levels say.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = RequestBody.DefaultMaxBytes);

builder.AddServiceDefaults();
builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(LocalAwsTelemetry.ActivitySourceName));

// The Runtime API is the functions' plumbing, which AWS does not trace either: each long poll would be a trace of its
// own, and each response a span under the function's (untraced) client call. The invocation is Lambda.Invoke's span.
builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
{
    var filter = options.Filter;
    options.Filter = context => filter?.Invoke(context) != false && !RuntimeApiEndpoints.IsRuntimeApiPath(context.Request.Path);
});
builder.Services.AddLocalAws();

var app = builder.Build();

// Load configuration and state now: unsafe settings, or a damaged or busy data directory, stop the start with a
// clear message instead of failing requests later.
app.Services.GetRequiredService<IamDirectory>();
app.Services.GetRequiredService<SecretStore>();
app.Services.GetRequiredService<ParameterStore>();
app.Services.GetRequiredService<S3Store>();
app.Services.GetRequiredService<StackStore>();
app.Services.GetRequiredService<LogsService>();
app.Services.GetRequiredService<LambdaRuntimes>();
app.Services.GetRequiredService<LambdaService>();
app.Services.GetRequiredService<HttpApiServers>();
app.Services.GetRequiredService<LocalCertificateAuthority>();

// A stack operation a stopped LocalAws left in progress is finished once LocalAws serves again (its resources'
// services must be up), never left stuck.
app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<StackService>().ResumeInterrupted());

// Unauthenticated by design, as AWS's own health endpoints are; served in every environment.
app.MapHealthChecks(HealthCheckExtensions.HealthEndpointPath);
app.MapCaCertificate();
app.MapContainerCredentials();
app.MapLambdaRuntimeApi();
app.MapAwsApi();

await app.RunAsync();
