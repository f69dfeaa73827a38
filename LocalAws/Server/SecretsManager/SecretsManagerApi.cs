using System.Text.Json;
using Amazon.SecretsManager.Model;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;
using Tap.LocalAws.Iam;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.Services;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// The Secrets Manager JSON 1.1 surface: reads the operation's request, checks it against its modeled constraints,
/// runs it, writes the response.
/// </summary>
public sealed class SecretsManagerApi(SecretsManagerService service) : IAwsServiceApi
{
    private const string SecretArn = "arn:aws:secretsmanager:{region}:{account}:secret:{SecretId}";

    private static readonly Dictionary<string, AwsOperation> OperationsByName = new AwsOperation[]
    {
        new("CreateSecret", "secretsmanager:CreateSecret", SecretArn),
        new("GetSecretValue", "secretsmanager:GetSecretValue", SecretArn),
        new("PutSecretValue", "secretsmanager:PutSecretValue", SecretArn),
        new("UpdateSecret", "secretsmanager:UpdateSecret", SecretArn),
        new("DescribeSecret", "secretsmanager:DescribeSecret", SecretArn),
        new("ListSecrets", "secretsmanager:ListSecrets", "*"),
        new("DeleteSecret", "secretsmanager:DeleteSecret", SecretArn),
        new("RestoreSecret", "secretsmanager:RestoreSecret", SecretArn),
        new("GetRandomPassword", "secretsmanager:GetRandomPassword", "*"),
        new("ListSecretVersionIds", "secretsmanager:ListSecretVersionIds", SecretArn),
        new("UpdateSecretVersionStage", "secretsmanager:UpdateSecretVersionStage", SecretArn),
        new("TagResource", "secretsmanager:TagResource", SecretArn),
        new("UntagResource", "secretsmanager:UntagResource", SecretArn),
        new("BatchGetSecretValue", "secretsmanager:BatchGetSecretValue", "*"),
        new("PutResourcePolicy", "secretsmanager:PutResourcePolicy", SecretArn),
        new("GetResourcePolicy", "secretsmanager:GetResourcePolicy", SecretArn),
        new("DeleteResourcePolicy", "secretsmanager:DeleteResourcePolicy", SecretArn),
        new("ValidateResourcePolicy", "secretsmanager:ValidateResourcePolicy", "*"),
        new("RotateSecret", "secretsmanager:RotateSecret", SecretArn),
    }.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>
    /// What a call of <paramref name="operation"/> by <paramref name="caller"/> is authorized by, for another LocalAws
    /// service acting for a caller (CloudFormation's resource handlers): the same IAM evaluation as a client's call.
    /// </summary>
    public static AccessCheck ActingFor(string operation, CallerIdentity caller, string region) =>
        new(caller, OperationsByName[operation], region, secureTransport: true, AwsProtocol.Json);

    /// <summary>Checks a request another LocalAws service makes against every modeled constraint, as a client's is.</summary>
    public static T Validated<T>(T request)
        where T : class
    {
        RequestValidation.Validate(request);
        return request;
    }

    public AwsServiceMetadata Metadata => AwsServiceMetadata.SecretsManager;

    public IReadOnlyList<string> RoutePatterns { get; } = ["/"];

    public bool StreamsBody => false;

    public IReadOnlyList<AwsOperation> Operations { get; } = [.. OperationsByName.Values];

    public int MaxRequestBytes => RequestBody.DefaultMaxBytes;

    public AwsError RequestTooLarge => RequestBody.TooLarge(AwsProtocol.Json);

    public bool Accepts(HttpRequest request) => JsonTargetRouting.Accepts(Metadata, request);

    public AwsOperationRoute Route(HttpRequest request, byte[] body) => JsonTargetRouting.Route(Metadata, request, OperationsByName);

    public Task HandleAsync(AwsCall request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (operation, body, access) = (request.Operation.Name, request.Body, request.Access);
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
        return JsonProtocol.WriteAsync(request.Context.Response, response);
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

        return Validated(request);
    }
}
