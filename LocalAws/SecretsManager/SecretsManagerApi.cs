using System.Text.Json;
using Amazon.SecretsManager.Model;
using Tap.Aws.SecretsManager.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// The Secrets Manager JSON 1.1 surface: reads the operation's request, checks it against its modeled constraints,
/// runs it, writes the response.
/// </summary>
public sealed class SecretsManagerApi(SecretsManagerService service)
{
    public Task HandleAsync(HttpContext context, string operation, byte[] body, AccessCheck access)
    {
        ArgumentNullException.ThrowIfNull(context);
        object response = operation switch
        {
            "CreateSecret" => service.CreateSecret(Read<CreateSecretRequest>(body, operation), access),
            "GetSecretValue" => service.GetSecretValue(Read<GetSecretValueRequest>(body, operation), access),
            "PutSecretValue" => service.PutSecretValue(Read<PutSecretValueRequest>(body, operation), access),
            "UpdateSecret" => service.UpdateSecret(Read<UpdateSecretRequest>(body, operation), access),
            "DescribeSecret" => service.DescribeSecret(Read<DescribeSecretRequest>(body, operation), access),
            "ListSecrets" => service.ListSecrets(Read<ListSecretsRequest>(body, operation), access),
            "DeleteSecret" => service.DeleteSecret(Read<DeleteSecretRequest>(body, operation), access),
            "RestoreSecret" => service.RestoreSecret(Read<RestoreSecretRequest>(body, operation), access),
            "GetRandomPassword" => service.GetRandomPassword(Read<GetRandomPasswordRequest>(body, operation), access),
            "ListSecretVersionIds" => service.ListSecretVersionIds(Read<ListSecretVersionIdsRequest>(body, operation), access),
            "UpdateSecretVersionStage" => service.UpdateSecretVersionStage(Read<UpdateSecretVersionStageRequest>(body, operation), access),
            "TagResource" => service.TagResource(Read<TagResourceRequest>(body, operation), access),
            "UntagResource" => service.UntagResource(Read<UntagResourceRequest>(body, operation), access),
            "BatchGetSecretValue" => service.BatchGetSecretValue(Read<BatchGetSecretValueRequest>(body, operation), access),
            "PutResourcePolicy" => service.PutResourcePolicy(Read<PutResourcePolicyRequest>(body, operation), access),
            "GetResourcePolicy" => service.GetResourcePolicy(Read<GetResourcePolicyRequest>(body, operation), access),
            "DeleteResourcePolicy" => service.DeleteResourcePolicy(Read<DeleteResourcePolicyRequest>(body, operation), access),
            "ValidateResourcePolicy" => service.ValidateResourcePolicy(Read<ValidateResourcePolicyRequest>(body, operation), access),
            "RotateSecret" => service.RotateSecret(Read<RotateSecretRequest>(body, operation), access),
            _ => throw AwsServiceException.Json("UnknownOperationException", $"The operation {operation} is not supported by this endpoint."),
        };
        return JsonProtocol.WriteAsync(context.Response, response);
    }

    /// <summary>The operation's request, checked against every modeled constraint before anything runs.</summary>
    private static T Read<T>(byte[] body, string operation)
        where T : class
    {
        T request;
        try
        {
            request = JsonSerializer.Deserialize(body.Length == 0 ? "{}"u8 : body, SecretsManagerJson.TypeInfo<T>())
                ?? throw new JsonException();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            // The parser's message may quote the input, and the input may be a secret: say only what was wrong.
            throw AwsServiceException.Json("SerializationException", $"The request body is not a valid {operation} request.");
        }

        RequestValidation.Validate(request);
        return request;
    }
}
