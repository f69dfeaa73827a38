using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests.S3;

/// <summary>
/// A PUT framed as S3's <c>aws-chunked</c> bodies are, built by hand so that a test can get any part of it wrong:
/// header-signed with the streaming mode as its payload hash, each chunk signed over the one before.
/// </summary>
public sealed class AwsChunkedUpload
{
    private readonly ImmutableCredentials _credentials;
    private readonly CredentialScope _scope;
    private readonly string _amzDate;
    private readonly List<KeyValuePair<string, string>> _headers;

    public AwsChunkedUpload(ImmutableCredentials credentials, string path, string mode, long decodedLength, IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var now = DateTimeOffset.UtcNow;
        (_credentials, Path) = (credentials, path);
        _amzDate = SigV4Signer.FormatDateTime(now);
        _scope = new CredentialScope(SigV4Signer.FormatDate(now), "us-east-1", "s3");
        _headers =
        [
            new("host", "localhost"),
            new("x-amz-date", _amzDate),
            new("x-amz-content-sha256", mode),
            new("x-amz-decoded-content-length", decodedLength.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("content-encoding", "aws-chunked"),
            .. headers ?? [],
        ];
        var authorization = SigV4Signer.ComputeAuthorization(new SigV4Request("PUT", path, string.Empty, _headers, mode), credentials, _scope);
        SeedSignature = authorization[(authorization.LastIndexOf('=') + 1)..];
        _headers.Add(new("authorization", authorization));
    }

    public string Path { get; }

    public string SeedSignature { get; }

    /// <summary>The body: each chunk signed (unless <paramref name="signChunks"/> is false), then the trailer lines, signed too when the chunks are.</summary>
    /// <param name="tamper">Alters one chunk's signature, by index (the final empty chunk is the last).</param>
    public byte[] Body(IReadOnlyList<byte[]> chunks, bool signChunks = true, IReadOnlyList<KeyValuePair<string, string>>? trailer = null, int? tamper = null)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var key = SigningKey.Derive(_credentials.SecretKey, _scope);
        var body = new MemoryStream();
        var previous = SeedSignature;
        var all = chunks.Append([]).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            var chunk = all[i];
            var line = chunk.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            if (signChunks)
            {
                var signature = ChunkSignature.OfChunk(key, _amzDate, _scope, previous, Convert.ToHexStringLower(SHA256.HashData(chunk)));
                previous = signature;
                line += ";chunk-signature=" + (i == tamper ? new string('0', 64) : signature);
            }

            body.Write(Encoding.ASCII.GetBytes(line + "\r\n"));
            body.Write(chunk);
            if (chunk.Length > 0)
            {
                body.Write("\r\n"u8);
            }
        }

        if (trailer is not null)
        {
            var canonical = string.Concat(trailer.Select(t => $"{t.Key}:{t.Value}\n"));
            body.Write(Encoding.ASCII.GetBytes(string.Concat(trailer.Select(t => $"{t.Key}:{t.Value}\r\n"))));
            if (signChunks)
            {
                body.Write(Encoding.ASCII.GetBytes($"x-amz-trailer-signature:{ChunkSignature.OfTrailer(key, _amzDate, _scope, previous, canonical)}\r\n"));
            }
        }

        body.Write("\r\n"u8);
        return body.ToArray();
    }

    public HttpRequestMessage Request(byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, Path) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in _headers.Where(h => h.Key != "host"))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return request;
    }
}
