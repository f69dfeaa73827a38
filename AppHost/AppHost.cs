using Tap.AppHost;
using Tap.Definition;

var builder = DistributedApplication.CreateBuilder(args);

// Local AWS: SigV4, IAM, STS and Secrets Manager on this machine; state survives restarts in .localaws/.
var credentials = builder.AddLocalAwsCredentials();
var localAws = builder.AddProject<Projects.Tap_LocalAws>("localaws")
    .WithEnvironment("LocalAws__DataDirectory", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", ".localaws")))
    .WithPrincipals(credentials)
    .WithProvisionedSecret(credentials)
    .WithHttpHealthCheck("/health");

// The API, under Kestrel: it reads its secret from LocalAws as its execution role.
builder.AddProject<Projects.Tap_Function>(TapApplication.Function.Name)
    .WithEnvironment(FunctionDefinition.SecretIdVariable, TapApplication.Secret.Name)
    .WithLocalAwsRole(localAws, credentials)
    .WithHttpHealthCheck("/health")
    .WaitFor(localAws);

builder.Build().Run();
