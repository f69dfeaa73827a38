using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;
using Tap.Definition;

namespace Tap.Infra.Constructs;

/// <summary>
/// The function: the Native AOT <c>bootstrap</c> on the custom runtime, x86_64 (an arm64 build needs an arm64 build
/// host), JSON logs into its own log group, Lambda's active tracing, and a role that may read its one secret and
/// write its traces, nothing else.
/// </summary>
public sealed class ApiFunction : Construct
{
    public ApiFunction(Construct scope, string id, FunctionDefinition definition, RoleDefinition roleDefinition, ISecret secret, TapStackSettings settings)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(roleDefinition);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(settings);

        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = $"{roleDefinition.Name}: runs the function; reads its one secret.",
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName("service-role/AWSLambdaBasicExecutionRole")],
        });
        role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = [.. roleDefinition.SecretActions],
            Resources = [secret.SecretArn],
        }));

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = Retention.Of(TapApplication.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        Function = new Function(this, "Function", new FunctionProps
        {
            FunctionName = $"{definition.Name}-{settings.EnvironmentName}",
            Runtime = definition.Runtime == Runtime.PROVIDED_AL2023.Name ? Runtime.PROVIDED_AL2023 : throw new NotSupportedException($"Runtime {definition.Runtime}."),
            Handler = definition.Handler,
            Architecture = Architecture.X86_64,
            Code = Code.FromAsset(FunctionBootstrap.Directory(settings), new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = FunctionBootstrap.NotShipped }),
            MemorySize = settings.FunctionMemory ?? definition.MemorySize,
            Timeout = Duration.Seconds(definition.Timeout.TotalSeconds),
            Environment = new Dictionary<string, string> { [FunctionDefinition.SecretIdVariable] = secret.SecretArn },
            LoggingFormat = LoggingFormat.JSON,
            LogGroup = LogGroup,
            Role = role,

            // Lambda's active tracing (an HTTP API has no X-Ray tracing of its own): the role gains X-Ray's two
            // write actions for it, which take no resource but *.
            Tracing = Tracing.ACTIVE,
        });
    }

    public Function Function { get; }

    public LogGroup LogGroup { get; }
}
