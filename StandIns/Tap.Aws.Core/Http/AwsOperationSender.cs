using System.Diagnostics;
using System.Net;
using Amazon.Runtime;
using Tap.Aws.Protocol;

namespace Tap.Aws.Http;

/// <summary>A successful answer: its status, body and request id.</summary>
public sealed record AwsHttpResponse(HttpStatusCode StatusCode, byte[] Payload, string? RequestId);

/// <summary>An error answer, for a client to turn into its service's exception type.</summary>
public sealed record AwsHttpError(string Code, string Message, string? RequestId, HttpStatusCode StatusCode);

/// <summary>
/// Sends an AWS client's operations with the SDKs' standard retries: a fresh request per attempt, transport
/// failures, throttling and server errors retried with backoff, and any other error handed to the client's own
/// exception factory. The HttpClient signs (a <see cref="Signing.SigV4SigningHandler"/>) and must not retry itself.
/// </summary>
/// <param name="http">The signing HttpClient.</param>
/// <param name="service">The service, for messages.</param>
/// <param name="settings">The endpoint and the attempts.</param>
/// <param name="parseError">The service protocol's error code and message in a body (nulls when it holds none).</param>
/// <param name="toException">The client's exception for an error answer.</param>
/// <param name="clock">Backoff's clock.</param>
public sealed class AwsOperationSender(
    HttpClient http,
    AwsServiceMetadata service,
    AwsClientSettings settings,
    Func<byte[], (string? Code, string? Message)> parseError,
    Func<AwsHttpError, Exception> toException,
    TimeProvider clock)
{
    private readonly AwsRetryPolicy _retry = AwsRetryPolicy.Standard with { MaxAttempts = settings.MaxAttempts };

    public AwsClientSettings Settings => settings;

    /// <summary>Sends <paramref name="operation"/>; <paramref name="activity"/>, when traced, gets the request id, status and retries.</summary>
    public async Task<AwsHttpResponse> SendAsync(string operation, Func<HttpRequestMessage> createRequest, Activity? activity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        var random = Random.Shared;
        for (var attempt = 1; ; attempt++)
        {
            using var message = createRequest();
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (attempt < _retry.MaxAttempts)
            {
                activity?.AddEvent(new("retry", tags: new() { ["exception.type"] = ex.GetType().Name }));
                await Task.Delay(_retry.GetDelay(attempt, random), clock, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (HttpRequestException ex)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
                throw new AmazonClientException($"{service.DisplayName} {operation} could not reach {settings.Endpoint}: {ex.Message}", ex);
            }

            using (response)
            {
                var requestId = response.Headers.TryGetValues(AwsHeaders.RequestId, out var ids) ? ids.FirstOrDefault() : null;
                activity?.SetTag("aws.request_id", requestId);
                activity?.SetTag("http.response.status_code", (int)response.StatusCode);
                var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return new AwsHttpResponse(response.StatusCode, payload, requestId);
                }

                var (code, errorMessage) = parseError(payload);
                if (attempt < _retry.MaxAttempts && AwsRetryPolicy.IsRetryable((int)response.StatusCode, code))
                {
                    await Task.Delay(_retry.GetDelay(attempt, random), clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                code ??= $"HTTP{(int)response.StatusCode}";
                activity?.SetStatus(ActivityStatusCode.Error, code);
                activity?.SetTag("error.type", code);
                throw toException(new AwsHttpError(
                    code, errorMessage ?? $"{service.DisplayName} {operation} failed with HTTP {(int)response.StatusCode}.", requestId, response.StatusCode));
            }
        }
    }
}
