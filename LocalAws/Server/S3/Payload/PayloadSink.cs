using System.Security.Cryptography;

namespace Tap.LocalAws.S3.Payload;

/// <summary>
/// Where an upload's bytes go once unframed: counted against the size cap, hashed (MD5 for the ETag, the requested
/// checksums, SHA-256 when the client signed the body's hash) and written to the destination.
/// </summary>
internal sealed class PayloadSink : IDisposable
{
    private readonly Stream _destination;
    private readonly long _maxBytes;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly IncrementalHash? _sha256;
    private readonly Dictionary<S3ChecksumAlgorithm, S3Checksum> _checksums;

    public PayloadSink(Stream destination, long maxBytes, bool hashSha256, IEnumerable<S3ChecksumAlgorithm> checksums)
    {
        (_destination, _maxBytes) = (destination, maxBytes);
        _sha256 = hashSha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _checksums = checksums.Distinct().ToDictionary(a => a, S3Checksum.Create);
    }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Length += data.Length;
        if (Length > _maxBytes)
        {
            throw S3Errors.EntityTooLarge(_maxBytes);
        }

        _md5.AppendData(data.Span);
        _sha256?.AppendData(data.Span);
        foreach (var checksum in _checksums.Values)
        {
            checksum.Append(data.Span);
        }

        await _destination.WriteAsync(data, cancellationToken);
    }

    public byte[] Md5() => _md5.GetCurrentHash();

    public string? Sha256Hex() => _sha256 is null ? null : Convert.ToHexStringLower(_sha256.GetCurrentHash());

    /// <summary>Each computed checksum, as raw bytes.</summary>
    public IReadOnlyDictionary<S3ChecksumAlgorithm, byte[]> Checksums() => _checksums.ToDictionary(c => c.Key, c => c.Value.Current());

    public void Dispose()
    {
        _md5.Dispose();
        _sha256?.Dispose();
        foreach (var checksum in _checksums.Values)
        {
            checksum.Dispose();
        }
    }
}
