using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;

namespace Tap.Aws.SecretsManager.Protocol;

/// <summary>
/// The AWS JSON 1.1 shapes of Secrets Manager: PascalCase members as declared, absent members omitted, timestamps
/// as epoch seconds, binary as base64. Public so that a server (the local emulator) speaks the same shapes.
/// </summary>
public static class SecretsManagerJson
{
    /// <summary>Options whose resolver drops the SDK-side response metadata from the wire shape.</summary>
    public static JsonSerializerOptions Options { get; } = new(SecretsManagerJsonContext.Default.Options)
    {
        // Copying the context's options keeps its converters and null handling; the modifier trims the SDK metadata.
        TypeInfoResolver = SecretsManagerJsonContext.Default.WithAddedModifier(RemoveResponseMetadata),
    };

    public static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static void RemoveResponseMetadata(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !typeof(AmazonWebServiceResponse).IsAssignableFrom(info.Type))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Name is nameof(AmazonWebServiceResponse.ResponseMetadata)
                or nameof(AmazonWebServiceResponse.ContentLength) or nameof(AmazonWebServiceResponse.HttpStatusCode))
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(EpochSecondsConverter), typeof(Base64MemoryStreamConverter)])]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
[JsonSerializable(typeof(CreateSecretRequest))]
[JsonSerializable(typeof(CreateSecretResponse))]
[JsonSerializable(typeof(PutSecretValueRequest))]
[JsonSerializable(typeof(PutSecretValueResponse))]
[JsonSerializable(typeof(UpdateSecretRequest))]
[JsonSerializable(typeof(UpdateSecretResponse))]
[JsonSerializable(typeof(DeleteSecretRequest))]
[JsonSerializable(typeof(DeleteSecretResponse))]
[JsonSerializable(typeof(ListSecretsRequest))]
[JsonSerializable(typeof(ListSecretsResponse))]
[JsonSerializable(typeof(RestoreSecretRequest))]
[JsonSerializable(typeof(RestoreSecretResponse))]
[JsonSerializable(typeof(GetRandomPasswordRequest))]
[JsonSerializable(typeof(GetRandomPasswordResponse))]
[JsonSerializable(typeof(ListSecretVersionIdsRequest))]
[JsonSerializable(typeof(ListSecretVersionIdsResponse))]
[JsonSerializable(typeof(UpdateSecretVersionStageRequest))]
[JsonSerializable(typeof(UpdateSecretVersionStageResponse))]
[JsonSerializable(typeof(RotateSecretRequest))]
[JsonSerializable(typeof(RotateSecretResponse))]
[JsonSerializable(typeof(TagResourceRequest))]
[JsonSerializable(typeof(TagResourceResponse))]
[JsonSerializable(typeof(UntagResourceRequest))]
[JsonSerializable(typeof(UntagResourceResponse))]
[JsonSerializable(typeof(BatchGetSecretValueRequest))]
[JsonSerializable(typeof(BatchGetSecretValueResponse))]
[JsonSerializable(typeof(PutResourcePolicyRequest))]
[JsonSerializable(typeof(PutResourcePolicyResponse))]
[JsonSerializable(typeof(GetResourcePolicyRequest))]
[JsonSerializable(typeof(GetResourcePolicyResponse))]
[JsonSerializable(typeof(DeleteResourcePolicyRequest))]
[JsonSerializable(typeof(DeleteResourcePolicyResponse))]
[JsonSerializable(typeof(ValidateResourcePolicyRequest))]
[JsonSerializable(typeof(ValidateResourcePolicyResponse))]
internal sealed partial class SecretsManagerJsonContext : JsonSerializerContext;
