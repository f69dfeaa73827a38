using Aspire.Hosting.AWS.Lambda;
using Tap.AppHost;
using Tap.Infra;
using Tap.LocalAws.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
var awsConfig = builder.AddAWSSDKConfig().WithRegion(LocalAwsResource.DefaultRegion);

// LocalAws: AWS's APIs on this machine (SigV4, IAM, STS, CloudFormation, S3, Secrets Manager, Lambda, the gateway)
// over HTTP and over HTTPS with its own CA; state (and the CA's ca.pem) in .localaws/.
var localAws = builder.AddLocalAws("localaws",
        port: builder.FixedPort("LocalAws:Port", 4566), httpsPort: builder.FixedPort("LocalAws:HttpsPort", 4567))
    .WithReference(awsConfig)
    .WithDataDirectory(builder.Configuration["LocalAws:DataDirectory"] ?? "../.localaws");

// TapStack, the stack that deploys to AWS, synthesized by Infra/ when its inputs change and deployed into LocalAws
// as `cdk deploy` would: after the CDK bootstrap stack, its assets published, as a change set.
var root = ProjectInputs.RepositoryRoot(builder.AppHostDirectory);
var output = Path.Combine(root, "artifacts", "apphost");
var tapStack = TapStackAssembly.Synthesize(root, output);
var bootstrap = localAws.AddCdkBootstrap(CdkBootstrapTemplate.Write(root, output));
var externalId = builder.AddParameter("invoker-external-id", new GenerateParameterDefault { MinLength = 24, Special = false }, persist: true);
var stack = builder.AddAWSCloudFormationTemplate("tap-stack", tapStack.TemplatePath, TapStackAssembly.StackName)
    .WithReference(awsConfig)
    .WithParameter(TapStackAssembly.ExternalIdParameter, (await externalId.Resource.GetValueAsync(default))!)
    .WithCdkAssets(tapStack.AssetManifestPath, bootstrap);

// What the stack deployed, as the dashboard shows it: its secret (the keys it leaves empty given generated values),
// its function running in this project's processes (debuggable, with its role's credentials), and its HTTP API.
var secret = localAws.AddSecretsManagerSecret("api-config", stack.GetOutput("SecretArn"))
    .WithSupersededSecret("tap/api-config"); // what the AppHost created itself before TapStack deployed the secret
var function = builder.AddAWSLambdaFunction<Projects.Tap_Function>("api-handler", lambdaHandler: "bootstrap")
    .WithReference(awsConfig)
    .AsDeployedFunction(stack, tapStack.FunctionName)
    .WaitFor(secret);
builder.AddAWSAPIGatewayEmulator("serverless-http-api", APIGatewayType.HttpV2,
        new APIGatewayEmulatorOptions { HttpPort = builder.FixedPort("HttpApi:Port", 4000) })
    .AsDeployedHttpApi(stack, "ApiUrl")
    .WaitFor(function);

// An invoker user for people and tests, holding the stack's invoke policy (by ARN: it applies once deployed).
localAws.WithIamUser("invoker", AwsAccessKeyParameters.Add(builder, "invoker"), [localAws.Resource.IamArn("policy/" + tapStack.InvokePolicyName)]);

builder.Build().Run();
