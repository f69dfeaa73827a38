namespace Tap.LocalAws.S3.Storage;

/// <summary>An object version with its bytes already open (none for a delete marker or an empty object).</summary>
internal sealed record OpenedVersion(ObjectVersion Version, FileStream? Data) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Data?.DisposeAsync() ?? ValueTask.CompletedTask;
}
