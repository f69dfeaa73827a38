namespace Tap.LocalAws.Tests;

/// <summary>
/// A request body of the given size, produced as it is read and with no length to declare, so HttpClient streams it
/// (chunked on a socket). <see cref="Served"/> says how much the server actually pulled.
/// </summary>
public sealed class GeneratedBodyStream(long size) : Stream
{
    public long Served { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => Served; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, size - Served);
        buffer.AsSpan(offset, n).Fill((byte)'a');
        Served += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
