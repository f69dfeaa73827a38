using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tap.Testing;

/// <summary>
/// The Lambda Runtime API on loopback: hands out queued events on <c>/invocation/next</c> (long-polling when the
/// queue is empty) and records what the function posts back. An optional path prefix checks that
/// <c>AWS_LAMBDA_RUNTIME_API</c> is treated as an opaque prefix.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly Channel<(string Id, string Body, TimeSpan Timeout, string? TraceId)> _events = Channel.CreateUnbounded<(string, string, TimeSpan, string?)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RuntimeResult>> _results = new();
    private readonly TaskCompletionSource<RuntimeResult> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public sealed record RuntimeResult(string Kind, string Body, string? ErrorType);

    /// <summary>The value for <c>AWS_LAMBDA_RUNTIME_API</c>: <c>host:port</c>, plus the prefix if any.</summary>
    public string RuntimeApi { get; private set; } = string.Empty;

    public Task<RuntimeResult> InitError => _initError.Task;

    public static async Task<FakeRuntimeApi> StartAsync(string prefix = "")
    {
        var api = new FakeRuntimeApi();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        api._app = builder.Build();
        var runtime = api._app.MapGroup(prefix + "/2018-06-01/runtime");
        runtime.MapGet("/invocation/next", api.NextAsync);
        runtime.MapPost("/invocation/{id}/response", (string id, HttpRequest request) => api.RecordAsync(id, "response", request));
        runtime.MapPost("/invocation/{id}/error", (string id, HttpRequest request) => api.RecordAsync(id, "error", request));
        runtime.MapPost("/init/error", async (HttpRequest request) =>
        {
            api._initError.TrySetResult(await ReadAsync("init-error", request));
            return Results.Accepted();
        });
        await api._app.StartAsync();
        var address = new Uri(api._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        api.RuntimeApi = $"127.0.0.1:{address.Port}{prefix}";
        return api;
    }

    /// <summary>Queues an event; the returned task completes when the function posts its response or error.</summary>
    public Task<RuntimeResult> InvokeAsync(string eventJson, TimeSpan? timeout = null, string? traceId = null)
    {
        var id = Guid.NewGuid().ToString();
        var result = _results.GetOrAdd(id, _ => new TaskCompletionSource<RuntimeResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        _events.Writer.TryWrite((id, eventJson, timeout ?? TimeSpan.FromSeconds(30), traceId));
        return result.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task NextAsync(HttpContext context)
    {
        var (id, body, timeout, traceId) = await _events.Reader.ReadAsync(context.RequestAborted);
        context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
        context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.Add(timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:000000000000:function:api-handler";
        if (traceId is not null)
        {
            context.Response.Headers["Lambda-Runtime-Trace-Id"] = traceId;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    private async Task<IResult> RecordAsync(string id, string kind, HttpRequest request)
    {
        _results.GetOrAdd(id, _ => new TaskCompletionSource<RuntimeResult>()).TrySetResult(await ReadAsync(kind, request));
        return Results.Accepted();
    }

    private static async Task<RuntimeResult> ReadAsync(string kind, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return new RuntimeResult(kind, await reader.ReadToEndAsync(), request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault());
    }
}
