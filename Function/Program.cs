using System.Diagnostics;
using Amazon.Lambda.Serialization.SystemTextJson;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tap.Aws.SecretsManager;
using Tap.Function;

// appsettings.json beside the binary, wherever the process was started from (Lambda starts bootstrap in /var/task;
// a copy run from elsewhere must log as it does there).
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddServiceDefaults();
builder.Services.KeepQueryStringsOutOfLogs();
if (string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_FORMAT"), "JSON", StringComparison.OrdinalIgnoreCase))
{
    // With its scopes, each line of a request carries the request's TraceId (in AWS, CloudWatch Logs is all there is).
    builder.Logging.AddJsonConsole(options =>
    {
        options.UseUtcTimestamp = true;
        options.IncludeScopes = true;
    });
}

builder.Services.AddSingleton<DistributedContextPropagator>(new LambdaTracePropagator(DistributedContextPropagator.CreateDefaultPropagator()));

// In Lambda (AWS_LAMBDA_FUNCTION_NAME set) the Runtime API replaces Kestrel; elsewhere this does nothing.
builder.Services.AddAWSLambdaHosting(LambdaEventSource.HttpApi, new SourceGeneratorLambdaJsonSerializer<FunctionJsonContext>());

// Tap's registrations (the official packages have none); the cache itself is the official ISecretsManagerCache.
builder.Services.AddTapSecretsManager();
builder.Services.AddTapSecretsManagerCache(cache => cache.CacheItemTTL = AppConfiguration.CacheItemTtlMilliseconds(builder.Configuration));
builder.Services.AddSingleton<AppConfiguration>();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, FunctionJsonContext.Default));
builder.Services.TryAddSingleton(TimeProvider.System);

var app = builder.Build();

app.UseRequestLogging();
app.UseRequestIdHeader();
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorResponse.WriteAsync });
app.MapDefaultEndpoints();
app.MapApiEndpoints();

await app.RunAsync();
