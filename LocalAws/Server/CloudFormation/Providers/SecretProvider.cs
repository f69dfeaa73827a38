using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SecretsManager.Model;
using Tap.LocalAws.CloudFormation.Engine;
using Tap.LocalAws.CloudFormation.Templates;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.CloudFormation.Providers;

/// <summary>
/// <c>AWS::SecretsManager::Secret</c>: a real Secrets Manager secret, made through Secrets Manager's own operations
/// as the stack's principal. <c>SecretString</c> is stored as given; <c>GenerateSecretString</c> generates a password
/// (GetRandomPassword's rules) and, with <c>SecretStringTemplate</c>, puts it under <c>GenerateStringKey</c> in that
/// JSON. <c>Ref</c> and <c>Fn::GetAtt Id</c> are the ARN. A new <c>Name</c> replaces it; deletion is immediate, without
/// a recovery window, as CloudFormation's handler deletes.
/// </summary>
internal sealed class SecretProvider(SecretsManagerService secrets, LocalAwsSettings settings) : IResourceProvider
{
    public string ResourceType => "AWS::SecretsManager::Secret";

    public ResourceSchema Schema { get; } = new(new Dictionary<string, PropertySchema>
    {
        ["Name"] = PropertySchema.Text() with { CreateOnly = true },
        ["Description"] = PropertySchema.Text(),
        ["SecretString"] = PropertySchema.Text(),
        ["GenerateSecretString"] = PropertySchema.MapOf(new Dictionary<string, PropertySchema>
        {
            ["ExcludeCharacters"] = PropertySchema.Text(),
            ["ExcludeLowercase"] = PropertySchema.Boolean(),
            ["ExcludeNumbers"] = PropertySchema.Boolean(),
            ["ExcludePunctuation"] = PropertySchema.Boolean(),
            ["ExcludeUppercase"] = PropertySchema.Boolean(),
            ["GenerateStringKey"] = PropertySchema.Text(),
            ["IncludeSpace"] = PropertySchema.Boolean(),
            ["PasswordLength"] = PropertySchema.WholeNumber(),
            ["RequireEachIncludedType"] = PropertySchema.Boolean(),
            ["SecretStringTemplate"] = PropertySchema.Text(),
        }),
        ["KmsKeyId"] = PropertySchema.Text(),
        ["ReplicaRegions"] = PropertySchema.Json(),
        ["Tags"] = PropertySchema.Tags(),
    });

    public IReadOnlyCollection<string> Attributes { get; } = ["Id"];

    public Task<ProvisionedResource> CreateAsync(ResourceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var properties = request.Properties;
        var created = secrets.CreateSecret(SecretsManagerApi.Validated(new CreateSecretRequest
        {
            Name = Intrinsics.Text(properties["Name"]) ?? request.GeneratedName(maxLength: 512, withStackName: false),
            Description = Intrinsics.Text(properties["Description"]),
            KmsKeyId = Intrinsics.Text(properties["KmsKeyId"]),
            SecretString = Value(request),
            Tags = Tags(properties),
        }), Access("CreateSecret", request));
        return Task.FromResult(Made(created.ARN!));
    }

    public Task<ProvisionedResource> UpdateAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var properties = request.Properties;
        secrets.UpdateSecret(SecretsManagerApi.Validated(new UpdateSecretRequest
        {
            SecretId = current.PhysicalId,
            Description = Intrinsics.Text(properties["Description"]) ?? string.Empty,
            KmsKeyId = Intrinsics.Text(properties["KmsKeyId"]),
            SecretString = Value(request),
        }), Access("UpdateSecret", request));
        var described = secrets.DescribeSecret(new DescribeSecretRequest { SecretId = current.PhysicalId }, Access("DescribeSecret", request));
        var wanted = Tags(properties) ?? [];
        if (described.Tags?.Select(t => t.Key!).Except(wanted.Select(t => t.Key!)).ToList() is { Count: > 0 } dropped)
        {
            secrets.UntagResource(new UntagResourceRequest { SecretId = current.PhysicalId, TagKeys = dropped }, Access("UntagResource", request));
        }

        if (wanted.Count > 0)
        {
            secrets.TagResource(new TagResourceRequest { SecretId = current.PhysicalId, Tags = wanted }, Access("TagResource", request));
        }

        return Task.FromResult(Made(current.PhysicalId));
    }

    public Task DeleteAsync(ResourceRequest request, ProvisionedResource current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            secrets.DeleteSecret(new DeleteSecretRequest { SecretId = current.PhysicalId, ForceDeleteWithoutRecovery = true }, Access("DeleteSecret", request));
        }
        catch (AwsServiceException ex) when (ex.Error.Code == "ResourceNotFoundException")
        {
            // Already gone: deleting it succeeds, as CloudFormation's handlers treat it.
        }

        return Task.CompletedTask;
    }

    /// <summary>The value to store: <c>SecretString</c>, a generated one, or none (an empty secret).</summary>
    private string? Value(ResourceRequest request)
    {
        var properties = request.Properties;
        if (properties["SecretString"] is { } given)
        {
            return properties["GenerateSecretString"] is null
                ? Intrinsics.Text(given)
                : throw TemplateException.Error("You can't specify both SecretString and GenerateSecretString.");
        }

        if (properties["GenerateSecretString"] is not JsonObject generate)
        {
            return null;
        }

        var password = secrets.GetRandomPassword(new GetRandomPasswordRequest
        {
            PasswordLength = generate["PasswordLength"]?.GetValue<long>(),
            ExcludeCharacters = Intrinsics.Text(generate["ExcludeCharacters"]),
            ExcludeLowercase = generate["ExcludeLowercase"]?.GetValue<bool>(),
            ExcludeNumbers = generate["ExcludeNumbers"]?.GetValue<bool>(),
            ExcludePunctuation = generate["ExcludePunctuation"]?.GetValue<bool>(),
            ExcludeUppercase = generate["ExcludeUppercase"]?.GetValue<bool>(),
            IncludeSpace = generate["IncludeSpace"]?.GetValue<bool>(),
            RequireEachIncludedType = generate["RequireEachIncludedType"]?.GetValue<bool>(),
        }, Access("GetRandomPassword", request)).RandomPassword!;
        var (template, key) = (Intrinsics.Text(generate["SecretStringTemplate"]), Intrinsics.Text(generate["GenerateStringKey"]));
        if (template is null && key is null)
        {
            return password;
        }

        if (template is null || key is null)
        {
            throw TemplateException.Error("SecretStringTemplate and GenerateStringKey must both be specified, or neither.");
        }

        JsonObject document;
        try
        {
            document = JsonNode.Parse(template, documentOptions: JsonProtocol.StrictJson) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw TemplateException.Error("SecretStringTemplate must be a JSON object.");
        }

        document[key] = password;
        return document.ToJsonString();
    }

    private Tap.LocalAws.Iam.AccessCheck Access(string operation, ResourceRequest request) =>
        SecretsManagerApi.ActingFor(operation, request.Principal, settings.Region);

    private static List<Tag>? Tags(JsonObject properties) => properties["Tags"] is JsonArray tags
        ? [.. tags.OfType<JsonObject>().Select(t => new Tag { Key = Intrinsics.Text(t["Key"]), Value = Intrinsics.Text(t["Value"]) })]
        : null;

    private static ProvisionedResource Made(string arn) => new(arn, new Dictionary<string, JsonNode?> { ["Id"] = JsonValue.Create(arn) });
}
