using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Tap.Aws.Lambda.Hosting.Http;

/// <summary>
/// A buffered response: the whole body is collected, then returned as one Lambda response. OnStarting callbacks
/// run once, before the response is read; OnCompleted callbacks run after it has been posted.
/// </summary>
internal sealed class LambdaResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature
{
    private readonly List<(Func<object, Task> Callback, object State)> _onStarting = [];
    private readonly List<(Func<object, Task> Callback, object State)> _onCompleted = [];
    private PipeWriter? _writer;

    public MemoryStream Buffer { get; } = new();

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    [Obsolete("Use IHttpResponseBodyFeature.Stream.")]
    public Stream Body
    {
        get => Buffer;
        set => throw new NotSupportedException("The Lambda response body cannot be replaced; wrap IHttpResponseBodyFeature instead.");
    }

    public bool HasStarted { get; private set; }

    public Stream Stream => Buffer;

    public PipeWriter Writer => _writer ??= PipeWriter.Create(Buffer, new StreamPipeWriterOptions(leaveOpen: true));

    // Registered callbacks run in reverse order, as Kestrel runs them.
    public void OnStarting(Func<object, Task> callback, object state) => _onStarting.Insert(0, (callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => _onCompleted.Insert(0, (callback, state));

    public async Task FireOnStartingAsync()
    {
        if (HasStarted)
        {
            return;
        }

        HasStarted = true;
        foreach (var (callback, state) in _onStarting)
        {
            await callback(state).ConfigureAwait(false);
        }
    }

    public async Task FireOnCompletedAsync()
    {
        foreach (var (callback, state) in _onCompleted)
        {
            await callback(state).ConfigureAwait(false);
        }
    }

    public void DisableBuffering()
    {
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => FireOnStartingAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        SendFileFallback.SendFileAsync(Buffer, path, offset, count, cancellationToken);

    public async Task CompleteAsync()
    {
        if (_writer is not null)
        {
            await _writer.FlushAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Clears what a failed handler wrote, so an error answer starts clean.</summary>
    public void Reset(int statusCode)
    {
        Buffer.SetLength(0);
        Headers.Clear();
        StatusCode = statusCode;
    }
}
