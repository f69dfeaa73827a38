using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;
using Tap.Aws.Credentials;
using Tap.Aws.Errors;
using Tap.Aws.Http;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;

namespace Amazon.SecretsManager;

/// <summary>
/// AWS Secrets Manager over the AWS JSON 1.1 protocol: <c>POST /</c> with <c>X-Amz-Target: secretsmanager.{Op}</c>,
/// signed with SigV4. Retries throttling and server errors itself (standard mode), so its HttpClient must not carry
/// another retry handler.
/// </summary>
public sealed class AmazonSecretsManagerClient : IAmazonSecretsManager
{
    private static readonly AwsServiceMetadata Service = AwsServiceMetadata.SecretsManager;

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly AwsOperationSender _sender;

    /// <summary>Credentials from the default chain; region and endpoint from the environment.</summary>
    public AmazonSecretsManagerClient()
        : this(AwsCredentialsResolver.Resolve(), new AmazonSecretsManagerConfig())
    {
    }

    public AmazonSecretsManagerClient(AWSCredentials credentials, AmazonSecretsManagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.Resolve();
        _http = SignedHttpClient.Create(credentials, settings.Region, Service.SigningName, config.Timeout);
        _ownsHttpClient = true;
        _sender = Sender(_http, settings, TimeProvider.System);
        Paginators = new SecretsManagerPaginatorFactory(this);
    }

    /// <summary>For dependency injection: <paramref name="httpClient"/> already signs requests (see <c>AddTapSecretsManager</c>).</summary>
    internal AmazonSecretsManagerClient(HttpClient httpClient, AmazonSecretsManagerConfig config, TimeProvider clock)
    {
        _http = httpClient;
        _sender = Sender(httpClient, config.Resolve(), clock);
        Paginators = new SecretsManagerPaginatorFactory(this);
    }

    public ISecretsManagerPaginatorFactory Paginators { get; }

    public Task<GetSecretValueResponse> GetSecretValueAsync(GetSecretValueRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<GetSecretValueRequest, GetSecretValueResponse>("GetSecretValue", request, cancellationToken);

    public Task<DescribeSecretResponse> DescribeSecretAsync(DescribeSecretRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<DescribeSecretRequest, DescribeSecretResponse>("DescribeSecret", request, cancellationToken);

    public Task<CreateSecretResponse> CreateSecretAsync(CreateSecretRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ClientRequestToken ??= NewIdempotencyToken();
        return InvokeAsync<CreateSecretRequest, CreateSecretResponse>("CreateSecret", request, cancellationToken);
    }

    public Task<PutSecretValueResponse> PutSecretValueAsync(PutSecretValueRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ClientRequestToken ??= NewIdempotencyToken();
        return InvokeAsync<PutSecretValueRequest, PutSecretValueResponse>("PutSecretValue", request, cancellationToken);
    }

    public Task<UpdateSecretResponse> UpdateSecretAsync(UpdateSecretRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.SecretString is not null || request.SecretBinary is not null)
        {
            request.ClientRequestToken ??= NewIdempotencyToken();
        }

        return InvokeAsync<UpdateSecretRequest, UpdateSecretResponse>("UpdateSecret", request, cancellationToken);
    }

    public Task<DeleteSecretResponse> DeleteSecretAsync(DeleteSecretRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<DeleteSecretRequest, DeleteSecretResponse>("DeleteSecret", request, cancellationToken);

    public Task<ListSecretsResponse> ListSecretsAsync(ListSecretsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ListSecretsRequest, ListSecretsResponse>("ListSecrets", request, cancellationToken);

    public Task<RestoreSecretResponse> RestoreSecretAsync(RestoreSecretRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<RestoreSecretRequest, RestoreSecretResponse>("RestoreSecret", request, cancellationToken);

    public Task<GetRandomPasswordResponse> GetRandomPasswordAsync(GetRandomPasswordRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<GetRandomPasswordRequest, GetRandomPasswordResponse>("GetRandomPassword", request, cancellationToken);

    public Task<ListSecretVersionIdsResponse> ListSecretVersionIdsAsync(ListSecretVersionIdsRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ListSecretVersionIdsRequest, ListSecretVersionIdsResponse>("ListSecretVersionIds", request, cancellationToken);

    public Task<UpdateSecretVersionStageResponse> UpdateSecretVersionStageAsync(UpdateSecretVersionStageRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<UpdateSecretVersionStageRequest, UpdateSecretVersionStageResponse>("UpdateSecretVersionStage", request, cancellationToken);

    public Task<RotateSecretResponse> RotateSecretAsync(RotateSecretRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.ClientRequestToken ??= NewIdempotencyToken();
        return InvokeAsync<RotateSecretRequest, RotateSecretResponse>("RotateSecret", request, cancellationToken);
    }

    public Task<TagResourceResponse> TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<TagResourceRequest, TagResourceResponse>("TagResource", request, cancellationToken);

    public Task<UntagResourceResponse> UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<UntagResourceRequest, UntagResourceResponse>("UntagResource", request, cancellationToken);

    public Task<BatchGetSecretValueResponse> BatchGetSecretValueAsync(BatchGetSecretValueRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<BatchGetSecretValueRequest, BatchGetSecretValueResponse>("BatchGetSecretValue", request, cancellationToken);

    public Task<PutResourcePolicyResponse> PutResourcePolicyAsync(PutResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<PutResourcePolicyRequest, PutResourcePolicyResponse>("PutResourcePolicy", request, cancellationToken);

    public Task<GetResourcePolicyResponse> GetResourcePolicyAsync(GetResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<GetResourcePolicyRequest, GetResourcePolicyResponse>("GetResourcePolicy", request, cancellationToken);

    public Task<DeleteResourcePolicyResponse> DeleteResourcePolicyAsync(DeleteResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<DeleteResourcePolicyRequest, DeleteResourcePolicyResponse>("DeleteResourcePolicy", request, cancellationToken);

    public Task<ValidateResourcePolicyResponse> ValidateResourcePolicyAsync(ValidateResourcePolicyRequest request, CancellationToken cancellationToken = default) =>
        InvokeAsync<ValidateResourcePolicyRequest, ValidateResourcePolicyResponse>("ValidateResourcePolicy", request, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    private static AwsOperationSender Sender(HttpClient http, AwsClientSettings settings, TimeProvider clock) =>
        new(http, Service, settings, payload => AwsJsonError.Parse(payload),
            error => AmazonSecretsManagerException.Create(error.Code, error.Message, error.RequestId, error.StatusCode), clock);

    private static string NewIdempotencyToken() => Guid.NewGuid().ToString();

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = SecretsManagerTelemetry.StartOperation(operation);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SecretsManagerJson.TypeInfo<TRequest>());
        var response = await _sender.SendAsync(operation, () =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, _sender.Settings.Endpoint) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(AwsJsonProtocol.ContentType);
            message.Headers.TryAddWithoutValidation(AwsHeaders.Target, Service.JsonTarget(operation));
            return message;
        }, activity, cancellationToken).ConfigureAwait(false);

        var result = Deserialize<TResponse>(response.Payload, operation, response.RequestId);
        result.HttpStatusCode = response.StatusCode;
        result.ContentLength = response.Payload.LongLength;
        result.ResponseMetadata = new ResponseMetadata { RequestId = response.RequestId };
        return result;
    }

    private static T Deserialize<T>(byte[] payload, string operation, string? requestId)
    {
        try
        {
            return (payload.Length == 0 ? default : JsonSerializer.Deserialize(payload, SecretsManagerJson.TypeInfo<T>()))
                ?? throw new JsonException("Empty response body.");
        }
        catch (JsonException ex)
        {
            throw new AmazonUnmarshallingException(requestId, lastKnownLocation: operation, innerException: ex, statusCode: System.Net.HttpStatusCode.OK);
        }
    }
}
