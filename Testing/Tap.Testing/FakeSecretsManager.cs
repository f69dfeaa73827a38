using System.Net;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.Testing;

/// <summary>An in-memory Secrets Manager that serves one JSON secret: counts calls, can rotate, fail or hold a call open.</summary>
public sealed class FakeSecretsManager : IAmazonSecretsManager
{
    private int _calls;

    public int GetSecretValueCalls => Volatile.Read(ref _calls);

    public string VersionId { get; set; } = "v1";

    public string SecretString { get; set; } = """{"API_KEY":"k-123","DATABASE_URL":"postgres://u:p@db/app","EXTERNAL_SERVICE_TOKEN":"t-456"}""";

    /// <summary>When set, calls fail with this exception.</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set, calls wait for this before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    public ISecretsManagerPaginatorFactory Paginators => throw new NotSupportedException();

    public static AmazonSecretsManagerException ServiceError(string code) =>
        new(code, ErrorType.Receiver, code, "req-fail", HttpStatusCode.InternalServerError);

    public async Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return new GetSecretValueResponse
        {
            ARN = $"arn:aws:secretsmanager:us-east-1:000000000000:secret:{request.SecretId}-AbCdEf",
            Name = request.SecretId,
            VersionId = VersionId,
            SecretString = SecretString,
            VersionStages = [request.VersionStage ?? "AWSCURRENT"],
        };
    }

    public Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<CreateSecretResponse> CreateSecretAsync(CreateSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PutSecretValueResponse> PutSecretValueAsync(PutSecretValueRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UpdateSecretResponse> UpdateSecretAsync(UpdateSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DeleteSecretResponse> DeleteSecretAsync(DeleteSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RestoreSecretResponse> RestoreSecretAsync(RestoreSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<GetRandomPasswordResponse> GetRandomPasswordAsync(GetRandomPasswordRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ListSecretVersionIdsResponse> ListSecretVersionIdsAsync(ListSecretVersionIdsRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UpdateSecretVersionStageResponse> UpdateSecretVersionStageAsync(UpdateSecretVersionStageRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<RotateSecretResponse> RotateSecretAsync(RotateSecretRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<BatchGetSecretValueResponse> BatchGetSecretValueAsync(BatchGetSecretValueRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PutResourcePolicyResponse> PutResourcePolicyAsync(PutResourcePolicyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<GetResourcePolicyResponse> GetResourcePolicyAsync(GetResourcePolicyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<DeleteResourcePolicyResponse> DeleteResourcePolicyAsync(DeleteResourcePolicyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ValidateResourcePolicyResponse> ValidateResourcePolicyAsync(ValidateResourcePolicyRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
