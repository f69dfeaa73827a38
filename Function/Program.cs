using Microsoft.Extensions.DependencyInjection.Extensions;
using Tap.Function;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.Services.ConfigureHttpJsonOptions(options =>
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, FunctionJsonContext.Default));
builder.Services.TryAddSingleton(TimeProvider.System);

var app = builder.Build();

app.UseRequestIdHeader();
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ErrorResponse.WriteAsync });
app.MapDefaultEndpoints();
app.MapApiEndpoints();

await app.RunAsync();
