using Amazon.Lambda;
using Aspire.Hosting.AWS.Lambda;
using Microsoft.Extensions.Configuration;
using Tap.AppHost;
using Tap.Aws.Hosting;
using Tap.Definition;
using Tap.LocalAws.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
var awsConfig = builder.AddAWSSDKConfig().WithRegion(LocalAwsResource.DefaultRegion);

// LocalAws: AWS's APIs on this machine (SigV4, IAM, STS, Secrets Manager, Lambda, the gateway) over HTTP and over
// HTTPS with its own CA; state (and the CA's ca.pem) in .localaws/.
var localAws = builder.AddLocalAws<Projects.Tap_LocalAws>("localaws",
        port: builder.FixedPort("LocalAws:Port", 4566), httpsPort: builder.FixedPort("LocalAws:HttpsPort", 4567))
    .WithReference(awsConfig)
    .WithDataDirectory(builder.Configuration["LocalAws:DataDirectory"] ?? "../.localaws");

// The configuration secret, created with generated values when absent: in LocalAws, unless the SecretsManager
// settings name another endpoint or a real account.
var secret = localAws.AddSecretsManagerSecret("api-config", TapApplication.Secret.Name, TapApplication.Secret.Keys)
    .WithBackend(builder.Configuration.GetSection("SecretsManager").Get<SecretsManagerBackend>());

// The function as Lambda runs it; its execution role may read that one secret and nothing else.
var definition = TapApplication.Function;
var function = builder.AddAWSLambdaFunction<Projects.Tap_Function>(definition.Name, lambdaHandler: definition.Handler,
        new LambdaFunctionOptions { LogFormat = LogFormat.JSON })
    .WithReference(awsConfig)
    .WithExecutionRole(TapApplication.FunctionRole.Name)
    .WithMemorySize(definition.MemorySize)
    .WithTimeout(definition.Timeout)
    .WithReference(secret, FunctionDefinition.SecretIdVariable, TapApplication.FunctionRole.SecretActions);

// The HTTP API in front of it: SigV4 + IAM on every route, one stage, throttled, CORS, JSON access logs; it takes
// calls once the function has started.
var httpApi = TapApplication.HttpApi;
var api = builder.AddAWSAPIGatewayEmulator(httpApi.Name, APIGatewayType.HttpV2,
        new APIGatewayEmulatorOptions { HttpPort = builder.FixedPort("HttpApi:Port", 4000) })
    .WithReference(function, Method.Any, "/")
    .WithReference(function, Method.Any, "/{proxy+}")
    .WithIamAuthorization()
    .WithStage(httpApi.Stage)
    .WithThrottling(httpApi.Throttle.RateLimit, httpApi.Throttle.BurstLimit)
    .WithCors(httpApi.Cors.ToLocalAws())
    .WithAccessLogFormat(httpApi.AccessLogFormat)
    .WithDetailedMetrics(httpApi.DetailedMetrics)
    .WaitFor(function);

// Who may call it: an invoker user for people and tests, and the stack's invoker role, which needs the external id.
var invoker = TapApplication.Invoker;
var externalId = builder.AddParameter("invoker-external-id", new GenerateParameterDefault { MinLength = 24, Special = false }, persist: true);
IamPolicy invoke = (aws, _) => ValueTask.FromResult(invoker.InvokePolicy(aws.Region, aws.AccountId, api.Resource.GetApiId(), httpApi.Stage));
localAws
    .WithIamUser("invoker", AwsAccessKeyParameters.Add(builder, "invoker"), invoke)
    .WithIamRole(invoker.RoleName,
        async (aws, cancellationToken) => InvokerDefinition.TrustPolicy(aws.AccountId, (await externalId.Resource.GetValueAsync(cancellationToken))!),
        invoke);

builder.Build().Run();
