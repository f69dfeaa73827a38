namespace Tap.Aws.Signing;

/// <summary>
/// A request as Signature Version 4 sees it, independent of the HTTP stack: the signer builds one from an
/// <see cref="HttpRequestMessage"/>, the verifier from an ASP.NET Core request, and both hand it to the same
/// <see cref="CanonicalRequest"/>.
/// </summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path exactly as sent on the wire (still percent-encoded).</param>
/// <param name="RawQuery">The query string as sent, without the leading <c>?</c>.</param>
/// <param name="Headers">Every header in the order received; a repeated header appears once per occurrence.</param>
/// <param name="PayloadHash">Lower-case hex SHA-256 of the body (or <see cref="SigV4Constants.UnsignedPayload"/> for S3).</param>
public sealed record SigV4Request(
    string Method,
    string RawPath,
    string RawQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string PayloadHash)
{
    /// <summary>
    /// The request a server received: <paramref name="rawTarget"/> is the request line's target exactly as sent
    /// (path and query, still percent-encoded, which is what was signed), every header line is kept, and the body is
    /// hashed.
    /// </summary>
    public static SigV4Request FromWire<TValues>(
        string method, string rawTarget, IEnumerable<KeyValuePair<string, TValues>> headers, ReadOnlySpan<byte> body)
        where TValues : IReadOnlyList<string?> =>
        FromWire(method, rawTarget, headers, CanonicalRequest.HexSha256(body));

    /// <summary>As above, for a body not read yet: <paramref name="payloadHash"/> is what the client says it signed.</summary>
    public static SigV4Request FromWire<TValues>(
        string method, string rawTarget, IEnumerable<KeyValuePair<string, TValues>> headers, string payloadHash)
        where TValues : IReadOnlyList<string?>
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(headers);

        // Every verified request passes here: values by index (no enumerator boxed per header), one line per value.
        var lines = new List<KeyValuePair<string, string>>(headers.TryGetNonEnumeratedCount(out var count) ? count : 16);
        foreach (var (name, values) in headers)
        {
            for (var i = 0; i < values.Count; i++)
            {
                lines.Add(new(name, values[i] ?? string.Empty));
            }
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        return new SigV4Request(
            method,
            queryStart < 0 ? rawTarget : rawTarget[..queryStart],
            queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..],
            lines,
            payloadHash);
    }

    /// <summary>How many times a header (case-insensitive name) was sent.</summary>
    public int CountHeader(string name)
    {
        var count = 0;
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The first value of a header, or <see langword="null"/>.</summary>
    public string? GetHeader(string name)
    {
        // Several lookups per verified request: a loop by index, not an enumerator.
        for (var i = 0; i < Headers.Count; i++)
        {
            if (string.Equals(Headers[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return Headers[i].Value;
            }
        }

        return null;
    }
}
