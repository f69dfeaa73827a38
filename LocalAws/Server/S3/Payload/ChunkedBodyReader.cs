using System.Runtime.InteropServices;
using System.Text;

namespace Tap.LocalAws.S3.Payload;

/// <summary>
/// Reads S3's <c>aws-chunked</c> framing from a request body: <c>{hex size}[;chunk-signature={sig}]\r\n{data}\r\n</c>
/// per chunk, a zero-size chunk last, then (with a trailer) <c>name:value\r\n</c> lines and an empty line. Lines are
/// bounded, so no framing makes it hold more than its buffer.
/// </summary>
internal sealed class ChunkedBodyReader(Stream body)
{
    private const int MaxLineBytes = 4096;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>One chunk's header: its size and, for signed chunks, its signature.</summary>
    public readonly record struct ChunkHeader(long Size, string? Signature);

    public async ValueTask<ChunkHeader> ReadChunkHeaderAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken) ?? throw S3Errors.IncompleteBody();
        var semicolon = line.IndexOf(';', StringComparison.Ordinal);
        var sizeText = semicolon < 0 ? line : line[..semicolon];
        if (sizeText.Length is 0 or > 16 || !long.TryParse(sizeText, System.Globalization.NumberStyles.AllowHexSpecifier, null, out var size) || size < 0)
        {
            throw Malformed();
        }

        string? signature = null;
        if (semicolon >= 0)
        {
            const string Prefix = "chunk-signature=";
            var extension = line[(semicolon + 1)..];
            signature = extension.StartsWith(Prefix, StringComparison.Ordinal) ? extension[Prefix.Length..] : throw Malformed();
        }

        return new ChunkHeader(size, signature);
    }

    /// <summary>Hands <paramref name="count"/> bytes of chunk data to <paramref name="sink"/>, then reads the chunk's CRLF.</summary>
    public async ValueTask ReadChunkDataAsync(long count, Func<ReadOnlyMemory<byte>, ValueTask> sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw S3Errors.IncompleteBody();
            }

            var take = (int)Math.Min(count, _end - _start);
            await sink(_buffer.AsMemory(_start, take));
            _start += take;
            count -= take;
        }

        if (await ReadLineAsync(cancellationToken) is not { Length: 0 })
        {
            throw Malformed();
        }
    }

    /// <summary>The trailer's <c>name:value</c> lines up to the empty line (or the end of the body).</summary>
    public async ValueTask<List<KeyValuePair<string, string>>> ReadTrailerAsync(CancellationToken cancellationToken)
    {
        var trailer = new List<KeyValuePair<string, string>>();
        while (await ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || trailer.Count >= 16)
            {
                throw Malformed();
            }

            trailer.Add(new(line[..colon].Trim().ToLowerInvariant(), line[(colon + 1)..].Trim()));
        }

        return trailer;
    }

    /// <summary>Whether anything follows the framing (it must not).</summary>
    public async ValueTask<bool> HasMoreAsync(CancellationToken cancellationToken) => _start < _end || await FillAsync(cancellationToken);

    public static Exception Malformed() => S3Errors.InvalidArgument("The aws-chunked body is not framed as S3 expects.");

    /// <summary>A line without its CRLF; <see langword="null"/> at the end of the body.</summary>
    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return line.Count == 0 ? null : throw Malformed();
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf((byte)'\n');
            var part = newline < 0 ? span : span[..newline];
            line.AddRange(part);
            _start += part.Length + (newline < 0 ? 0 : 1);
            if (line.Count > MaxLineBytes)
            {
                throw Malformed();
            }

            if (newline >= 0)
            {
                if (line.Count == 0 || line[^1] != '\r')
                {
                    throw Malformed();
                }

                return Encoding.ASCII.GetString(CollectionsMarshal.AsSpan(line)[..^1]);
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await body.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
