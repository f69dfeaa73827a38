using Amazon.Lambda.AspNetCoreServer.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tap.Function;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
if (string.Equals(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_FORMAT"), "JSON", StringComparison.OrdinalIgnoreCase))
{
    builder.Logging.AddJsonConsole(options => options.UseUtcTimestamp = true);
}

// In Lambda (AWS_LAMBDA_RUNTIME_API set) the Runtime API replaces Kestrel; elsewhere this does nothing.
builder.Services.AddAWSLambdaHosting(LambdaEventSource.HttpApi);
builder.Services.AddAWSSecretsManager();
builder.Services.AddSecretsManagerCache();
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
