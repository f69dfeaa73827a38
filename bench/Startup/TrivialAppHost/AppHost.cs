// The floor for Tap's start-up: one project with one endpoint (http://localhost:4701), and the dashboard.
var builder = DistributedApplication.CreateBuilder(args);

builder.AddProject<Projects.Tap_Bench_Hello>("hello").WithHttpEndpoint(port: 4701);

builder.Build().Run();
