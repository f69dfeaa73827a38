using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;

namespace Tap.LocalAws.S3.Payload;

/// <summary>
/// One running checksum of an S3 payload. S3 transmits each as the base64 of its big-endian bytes (the CRCs) or of
/// the digest (the SHAs).
/// </summary>
internal abstract class S3Checksum : IDisposable
{
    public abstract void Append(ReadOnlySpan<byte> data);

    /// <summary>The raw checksum bytes so far (a multipart upload's composite checksum hashes these per part).</summary>
    public abstract byte[] Current();

    public string Base64() => Convert.ToBase64String(Current());

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    public static S3Checksum Create(S3ChecksumAlgorithm algorithm) => algorithm switch
    {
        S3ChecksumAlgorithm.Crc32 => new Crc32Checksum(),
        S3ChecksumAlgorithm.Crc32C => new Crc32CChecksum(),
        S3ChecksumAlgorithm.Crc64Nvme => new Crc64NvmeChecksum(),
        S3ChecksumAlgorithm.Sha1 => new ShaChecksum(HashAlgorithmName.SHA1),
        _ => new ShaChecksum(HashAlgorithmName.SHA256),
    };

    /// <summary>The checksum of <paramref name="data"/>, in base64.</summary>
    public static string Of(S3ChecksumAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        using var checksum = Create(algorithm);
        checksum.Append(data);
        return checksum.Base64();
    }

    private sealed class Crc32Checksum : S3Checksum
    {
        private readonly Crc32 _crc = new();

        public override void Append(ReadOnlySpan<byte> data) => _crc.Append(data);

        public override byte[] Current()
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, _crc.GetCurrentHashAsUInt32());
            return bytes;
        }
    }

    /// <summary>CRC-32C (Castagnoli), with the CPU's CRC32 instruction where there is one.</summary>
    private sealed class Crc32CChecksum : S3Checksum
    {
        private const uint Polynomial = 0x82F63B78; // reflected 0x1EDC6F41
        private static readonly uint[] Table = ReflectedTable32(Polynomial);
        private uint _state = uint.MaxValue;

        public override void Append(ReadOnlySpan<byte> data)
        {
            var crc = _state;
            if (Sse42.X64.IsSupported)
            {
                ulong wide = crc;
                while (data.Length >= 8)
                {
                    wide = Sse42.X64.Crc32(wide, BinaryPrimitives.ReadUInt64LittleEndian(data));
                    data = data[8..];
                }

                crc = (uint)wide;
            }

            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            _state = crc;
        }

        public override byte[] Current()
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, ~_state);
            return bytes;
        }
    }

    /// <summary>CRC-64/NVME, which S3 uses for full-object checksums.</summary>
    private sealed class Crc64NvmeChecksum : S3Checksum
    {
        private const ulong Polynomial = 0x9A6C9329AC4BC9B5; // reflected 0xAD93D23594C93659
        private static readonly ulong[] Table = ReflectedTable64(Polynomial);
        private ulong _state = ulong.MaxValue;

        public override void Append(ReadOnlySpan<byte> data)
        {
            var crc = _state;
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            _state = crc;
        }

        public override byte[] Current()
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(bytes, ~_state);
            return bytes;
        }
    }

    private sealed class ShaChecksum(HashAlgorithmName name) : S3Checksum
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(name);

        public override void Append(ReadOnlySpan<byte> data) => _hash.AppendData(data);

        public override byte[] Current() => _hash.GetCurrentHash();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private static uint[] ReflectedTable32(uint polynomial)
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ polynomial : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }

    private static ulong[] ReflectedTable64(ulong polynomial)
    {
        var table = new ulong[256];
        for (ulong i = 0; i < 256; i++)
        {
            var value = i;
            for (var bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (value >> 1) ^ polynomial : value >> 1;
            }

            table[i] = value;
        }

        return table;
    }
}
