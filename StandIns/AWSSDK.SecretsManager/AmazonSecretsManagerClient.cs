using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SecretsManager.Model;
using Tap.Aws.Credentials;
using Tap.Aws.Errors;
using Tap.Aws.Http;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;
using Tap.Aws.Signing;

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
    private readonly ClientConfigSnapshot _config;
    private readonly AwsRetryPolicy _retry;
    private readonly TimeProvider _clock;

    /// <summary>Credentials from the default chain; region and endpoint from the environment.</summary>
    public AmazonSecretsManagerClient()
        : this(AwsCredentialsResolver.Resolve(), new AmazonSecretsManagerConfig())
    {
    }

    public AmazonSecretsManagerClient(AWSCredentials credentials, AmazonSecretsManagerConfig config)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(config);
        _config = config.Resolve();
        _clock = TimeProvider.System;
        _retry = AwsRetryPolicy.Standard with { MaxAttempts = _config.MaxAttempts };
#pragma warning disable CA2000 // The HttpClient owns and disposes the handler chain.
        var handler = new SigV4SigningHandler(credentials, _config.Region, Service.SigningName, new SigV4Signer(_clock))
        {
            InnerHandler = new SocketsHttpHandler(),
        };
#pragma warning restore CA2000
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = config.Timeout ?? TimeSpan.FromSeconds(100) };
        _ownsHttpClient = true;
        Paginators = new SecretsManagerPaginatorFactory(this);
    }

    /// <summary>For dependency injection: <paramref name="httpClient"/> already signs requests (see <c>AddTapSecretsManager</c>).</summary>
    internal AmazonSecretsManagerClient(HttpClient httpClient, AmazonSecretsManagerConfig config, TimeProvider clock)
    {
        _http = httpClient;
        _config = config.Resolve();
        _clock = clock;
        _retry = AwsRetryPolicy.Standard with { MaxAttempts = _config.MaxAttempts };
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

    private static string NewIdempotencyToken() => Guid.NewGuid().ToString();

    private async Task<TResponse> InvokeAsync<TRequest, TResponse>(string operation, TRequest request, CancellationToken cancellationToken)
        where TResponse : AmazonWebServiceResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = SecretsManagerTelemetry.StartOperation(operation);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, SecretsManagerJson.TypeInfo<TRequest>());
        var random = Random.Shared;

        for (var attempt = 1; ; attempt++)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, _config.Endpoint) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue(AwsJsonProtocol.ContentType);
            message.Headers.TryAddWithoutValidation(AwsHeaders.Target, Service.JsonTarget(operation));

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (attempt < _retry.MaxAttempts)
            {
                activity?.AddEvent(new("retry", tags: new() { ["exception.type"] = ex.GetType().Name }));
                await Task.Delay(_retry.GetDelay(attempt, random), _clock, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                throw new AmazonClientException($"Secrets Manager {operation} could not reach {_config.Endpoint}: {ex.Message}", ex);
            }

            using (response)
            {
                var requestId = response.Headers.TryGetValues(AwsHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
                activity?.SetTag("aws.request_id", requestId);
                activity?.SetTag("http.response.status_code", (int)response.StatusCode);
                var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);

                if (response.IsSuccessStatusCode)
                {
                    var result = Deserialize<TResponse>(payload, operation, requestId);
                    result.HttpStatusCode = response.StatusCode;
                    result.ContentLength = payload.LongLength;
                    result.ResponseMetadata = new ResponseMetadata { RequestId = requestId };
                    return result;
                }

                var (code, errorMessage) = AwsJsonError.Parse(payload);
                if (attempt < _retry.MaxAttempts && AwsRetryPolicy.IsRetryable((int)response.StatusCode, code))
                {
                    await Task.Delay(_retry.GetDelay(attempt, random), _clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                code ??= $"HTTP{(int)response.StatusCode}";
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, code);
                activity?.SetTag("error.type", code);
                throw AmazonSecretsManagerException.Create(
                    code, errorMessage ?? $"Secrets Manager {operation} failed with HTTP {(int)response.StatusCode}.", requestId, response.StatusCode);
            }
        }
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
