using System.Text.Json.Nodes;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Lambda.Deployment;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::Lambda::Function</c>: a real Lambda function, made through Lambda's own CreateFunction as the stack's
/// principal (who must be able to pass the role and read the code), its code from an S3 zip or an inline
/// <c>ZipFile</c>; LocalAws runs it. <c>Ref</c> is its name, <c>Fn::GetAtt Arn</c> its ARN. A new
/// <c>FunctionName</c> or <c>PackageType</c> replaces it; everything else updates it in place (its environments
/// restart on the new version). Settings that have no local meaning (VPC, layers, file systems, KMS, SnapStart)
/// are accepted and not applied.
/// </summary>
internal sealed class FunctionProvider(LambdaService lambda, LocalAwsSettings settings) : IResourceProvider
{
    private static readonly Dictionary<string, PropertySchema> CodeProperties = new()
    {
        ["S3Bucket"] = PropertySchema.Text(),
        ["S3Key"] = PropertySchema.Text(),
        ["S3ObjectVersion"] = PropertySchema.Text(),
        ["ZipFile"] = PropertySchema.Text(),
        ["ImageUri"] = PropertySchema.Text(),
        ["SourceKMSKeyArn"] = PropertySchema.Text(),
    };

    public string ResourceType => "AWS::Lambda::Function";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["FunctionName"] = PropertySchema.Text() with { CreateOnly = true },
        ["PackageType"] = PropertySchema.Text() with { CreateOnly = true },
        ["Role"] = PropertySchema.Text() with { Required = true },
        ["Code"] = PropertySchema.MapOf(CodeProperties) with { Required = true },
        ["Runtime"] = PropertySchema.Text(),
        ["Handler"] = PropertySchema.Text(),
        ["Description"] = PropertySchema.Text(),
        ["MemorySize"] = PropertySchema.WholeNumber(),
        ["Timeout"] = PropertySchema.WholeNumber(),
        ["ReservedConcurrentExecutions"] = PropertySchema.WholeNumber(),
        ["Environment"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema> { ["Variables"] = PropertySchema.Json() }),
        ["Architectures"] = PropertySchema.ListOf(PropertySchema.Text()),
        ["LoggingConfig"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["LogFormat"] = PropertySchema.Text(),
            ["LogGroup"] = PropertySchema.Text(),
            ["ApplicationLogLevel"] = PropertySchema.Text(),
            ["SystemLogLevel"] = PropertySchema.Text(),
        }),
        ["TracingConfig"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema> { ["Mode"] = PropertySchema.Text() }),
        ["Tags"] = PropertySchema.Tags(),
        ["Layers"] = PropertySchema.Json(),
        ["VpcConfig"] = PropertySchema.Json(),
        ["DeadLetterConfig"] = PropertySchema.Json(),
        ["KmsKeyArn"] = PropertySchema.Text(),
        ["EphemeralStorage"] = PropertySchema.Json(),
        ["FileSystemConfigs"] = PropertySchema.Json(),
        ["CodeSigningConfigArn"] = PropertySchema.Text(),
        ["ImageConfig"] = PropertySchema.Json(),
        ["RuntimeManagementConfig"] = PropertySchema.Json(),
        ["SnapStart"] = PropertySchema.Json(),
        ["RecursiveLoop"] = PropertySchema.Text(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Arn"];

    public async Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var spec = Spec(request, Intrinsics.Text(request.Properties["FunctionName"]) ?? request.GeneratedName(maxLength: 64));
        var function = await lambda.CreateFunctionAsync(spec, Code(request, spec), Access("CreateFunction", request), cancellationToken);
        return Made(function);
    }

    public async Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var spec = Spec(request, current.PhysicalId);
        var function = await lambda.UpdateFunctionAsync(spec, Code(request, spec), Access("UpdateFunctionCode", request), cancellationToken);
        return Made(function);
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            lambda.DeleteFunction(current.PhysicalId, Access("DeleteFunction", request));
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    private static FunctionSpec Spec(ResourceRequest request, string name)
    {
        var properties = request.Properties;
        if (Intrinsics.Text(properties["PackageType"]) is "Image")
        {
            throw Invalid("LocalAws runs functions from zip packages only: PackageType Image needs a container runtime.");
        }

        var logging = properties["LoggingConfig"] as JsonObject;
        return new FunctionSpec(name, Intrinsics.Text(properties["Role"])!, Intrinsics.Text(properties["Runtime"]), Intrinsics.Text(properties["Handler"]))
        {
            Timeout = Number(properties["Timeout"]) ?? 3,
            MemorySize = Number(properties["MemorySize"]) ?? 128,
            ReservedConcurrency = Number(properties["ReservedConcurrentExecutions"]),
            Description = Intrinsics.Text(properties["Description"]),
            Environment = (properties["Environment"]?["Variables"] as JsonObject)?
                .ToDictionary(v => v.Key, v => Intrinsics.Text(v.Value) ?? string.Empty, StringComparer.Ordinal) ?? [],
            Architecture = (properties["Architectures"] as JsonArray) is [var only] ? Intrinsics.Text(only) ?? "x86_64" : "x86_64",
            LogFormat = Intrinsics.Text(logging?["LogFormat"]) ?? "Text",
            LogGroup = Intrinsics.Text(logging?["LogGroup"]),
            TracingMode = Intrinsics.Text(properties["TracingConfig"]?["Mode"]) ?? "PassThrough",
        };
    }

    private static CodeSource Code(ResourceRequest request, FunctionSpec spec)
    {
        var code = request.Properties["Code"] as JsonObject ?? [];
        if (Intrinsics.Text(code["ImageUri"]) is not null)
        {
            throw Invalid("LocalAws runs functions from zip packages only: ImageUri needs a container runtime.");
        }

        return new CodeSource(Intrinsics.Text(code["S3Bucket"]), Intrinsics.Text(code["S3Key"]), Intrinsics.Text(code["S3ObjectVersion"]),
            Intrinsics.Text(code["ZipFile"]) is { } inline ? LambdaService.InlineZip(spec.Runtime, inline) : null);
    }

    private static int? Number(JsonNode? node) => node is null ? null : int.Parse(node.ToString(), System.Globalization.CultureInfo.InvariantCulture);

    private AccessCheck Access(string operation, ResourceRequest request) =>
        LambdaApi.ActingFor(operation, request.Principal, settings.Region);

    private static ProvisionedResource Made(LambdaFunction function) =>
        new(function.Name, new Dictionary<string, JsonNode?> { ["Arn"] = JsonValue.Create(function.Arn) });

    private static AwsServiceException Invalid(string message) => new(new Tap.Aws.Errors.AwsError(400, "InvalidParameterValueException", message));
}
