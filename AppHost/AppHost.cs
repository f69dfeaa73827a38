using Tap.Definition;

var builder = DistributedApplication.CreateBuilder(args);

// The API, under Kestrel for now; its health comes from the standard /health endpoint.
builder.AddProject<Projects.Tap_Function>(TapApplication.Function.Name)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
