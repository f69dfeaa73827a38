using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Tap.Aws.Lambda.Hosting.Http;

namespace Tap.Aws.Lambda.Hosting.Runtime;

/// <summary>
/// Replaces Kestrel when running in Lambda: asks the Runtime API for the next event, runs it through the
/// ASP.NET Core pipeline, posts the response (or an error), flushes telemetry, and asks again.
/// </summary>
internal sealed partial class LambdaRuntimeServer(
    LambdaRuntimeApiClient runtime,
    ILambdaSerializer serializer,
    HostingOptions options,
    TelemetryFlusher telemetry,
    TimeProvider clock,
    ILogger<LambdaRuntimeServer> logger) : IServer
{
    /// <summary>Lambda's limit on a synchronous invocation's response, and its wording when it is exceeded.</summary>
    internal const int MaxResponseBytes = 6291556;

    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        LogStarted(logger, runtime.BaseAddress);
        _loop = Task.Run(() => RunAsync(application, _stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        runtime.Dispose();
    }

    private async Task RunAsync<TContext>(IHttpApplication<TContext> application, CancellationToken stopping)
        where TContext : notnull
    {
        while (!stopping.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await runtime.NextAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                // In AWS the Runtime API is always there; locally it may restart. Back off briefly and ask again.
                LogRuntimeApiUnavailable(logger, ex, runtime.BaseAddress);
                await Task.Delay(TimeSpan.FromMilliseconds(500), clock, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            try
            {
                await ProcessAsync(application, invocation).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                LogPostFailed(logger, ex, invocation.AwsRequestId);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // Whatever broke this invocation, the loop must go on: a loop that died would leave the process
                // running but deaf, and Lambda would wait out the timeout of every event sent to it.
                LogUnhandledException(logger, ex, invocation.AwsRequestId);
                await PostUnhandledAsync(invocation, ex).ConfigureAwait(false);
            }

            telemetry.Flush();
        }
    }

    internal async Task ProcessAsync<TContext>(IHttpApplication<TContext> application, LambdaInvocation invocation)
        where TContext : notnull
    {
        // Lambda passes the X-Ray trace header through this variable, as its own runtimes do.
        Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId.Length == 0 ? null : invocation.TraceId);

        APIGatewayHttpApiV2ProxyRequest? request;
        try
        {
            using var eventStream = new MemoryStream(invocation.Event, writable: false);
            request = serializer.Deserialize<APIGatewayHttpApiV2ProxyRequest>(eventStream);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            LogMalformedEvent(logger, invocation.AwsRequestId);
            await runtime.PostErrorAsync(invocation.AwsRequestId, "Runtime.InvalidEvent",
                "The event is not an API Gateway HTTP API payload 2.0 event.").ConfigureAwait(false);
            return;
        }

        using var deadline = new CancellationTokenSource(Clamp(invocation.RemainingTime), clock);
        IFeatureCollection features;
        LambdaResponseFeature response;
        try
        {
            (features, response) = HttpApiV2RequestMapper.Map(request, invocation, deadline.Token);
        }
        catch (BadHttpRequestException ex)
        {
            // A request Kestrel would refuse before the app saw it gets Kestrel's answer: the status, no body.
            LogBadRequest(logger, invocation.AwsRequestId, ex.StatusCode);
            await PostResponseAsync(invocation, new LambdaResponseFeature { StatusCode = ex.StatusCode }).ConfigureAwait(false);
            return;
        }

        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsCancellationRequested && ex is OperationCanceledException)
        {
            failure = ex;
        }
        catch (Exception ex)
        {
            // The app did not handle it: log it for the operator and answer a plain 500.
            failure = ex;
            LogUnhandledException(logger, ex, invocation.AwsRequestId);
            response.Reset(StatusCodes.Status500InternalServerError);
            if (options.IncludeUnhandledExceptionDetailInResponse)
            {
                response.Headers.ContentType = "text/plain; charset=utf-8";
                response.Buffer.Write(System.Text.Encoding.UTF8.GetBytes(ex.ToString()));
            }
        }

        try
        {
            if (deadline.IsCancellationRequested && failure is OperationCanceledException)
            {
                await runtime.PostErrorAsync(invocation.AwsRequestId, "Sandbox.Timedout",
                    $"Task timed out: the invocation passed its deadline ({invocation.Deadline:O}).").ConfigureAwait(false);
                return;
            }

            await response.FireOnStartingAsync().ConfigureAwait(false);
            await PostResponseAsync(invocation, response).ConfigureAwait(false);
        }
        finally
        {
            await response.FireOnCompletedAsync().ConfigureAwait(false);
            application.DisposeContext(context, failure);
        }
    }

    private async Task PostResponseAsync(LambdaInvocation invocation, LambdaResponseFeature response)
    {
        using var payloadStream = new MemoryStream();
        serializer.Serialize(HttpApiV2ResponseMapper.Map(response, options), payloadStream);
        var payload = payloadStream.ToArray();
        if (payload.Length > MaxResponseBytes)
        {
            LogResponseTooLarge(logger, invocation.AwsRequestId, payload.Length);
            await runtime.PostErrorAsync(invocation.AwsRequestId, "Function.ResponseSizeTooLarge",
                $"Response payload size exceeded maximum allowed payload size ({MaxResponseBytes} bytes).").ConfigureAwait(false);
            return;
        }

        await runtime.PostResponseAsync(invocation.AwsRequestId, payload).ConfigureAwait(false);
    }

    // As Lambda's own runtimes report an exception the handler did not catch: its type, and no detail that could
    // carry request data.
    private async Task PostUnhandledAsync(LambdaInvocation invocation, Exception exception)
    {
        try
        {
            await runtime.PostErrorAsync(invocation.AwsRequestId, exception.GetType().Name,
                "The invocation failed before the application could answer it.").ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            LogPostFailed(logger, ex, invocation.AwsRequestId);
        }
    }

    private static TimeSpan Clamp(TimeSpan remaining) =>
        remaining < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : remaining;

    [LoggerMessage(Level = LogLevel.Information, Message = "Lambda runtime loop started against {RuntimeApi}")]
    private static partial void LogStarted(ILogger logger, Uri runtimeApi);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Lambda Runtime API at {RuntimeApi} is unavailable; retrying")]
    private static partial void LogRuntimeApiUnavailable(ILogger logger, Exception exception, Uri runtimeApi);

    [LoggerMessage(Level = LogLevel.Error, Message = "Posting the result of invocation {RequestId} to the Runtime API failed")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} carried an event that is not an HTTP API payload 2.0 event")]
    private static partial void LogMalformedEvent(ILogger logger, string requestId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invocation {RequestId} carried a request that cannot be served; answered {StatusCode}")]
    private static partial void LogBadRequest(ILogger logger, string requestId, int statusCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception while processing invocation {RequestId}")]
    private static partial void LogUnhandledException(ILogger logger, Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The response to invocation {RequestId} is {Bytes} bytes, over Lambda's limit")]
    private static partial void LogResponseTooLarge(ILogger logger, string requestId, int bytes);
}
