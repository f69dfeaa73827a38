using System.Security.Cryptography;

namespace Tap.Aws.Signing;

/// <summary>
/// The one implementation of SigV4's canonical request and string to sign. Signing and verifying both go through
/// here, so a request the signer produces is, by construction, the request the verifier expects.
/// </summary>
public static class CanonicalRequest
{
    /// <summary>The canonical request's length for which no array is needed: a typical JSON API call's fits.</summary>
    internal const int StackChars = 512;

    /// <summary>Builds the canonical request (task 1 of the SigV4 process).</summary>
    /// <param name="request">The request.</param>
    /// <param name="signedHeaders">Lower-case header names to sign, sorted ordinally.</param>
    /// <param name="service">The signing service; <c>s3</c> keeps paths as they are and encodes them once.</param>
    /// <param name="excludedQueryParameter">A query parameter to leave out (the signature itself, for presigned URLs).</param>
    public static string Build(
        SigV4Request request,
        IReadOnlyList<string> signedHeaders,
        string service,
        string? excludedQueryParameter = null)
    {
        var text = new CharBuffer(stackalloc char[StackChars]);
        try
        {
            Write(ref text, request, signedHeaders, service, excludedQueryParameter);
            return text.ToString();
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>Builds the string to sign (task 2) from the canonical request.</summary>
    public static string StringToSign(string amzDate, CredentialScope scope, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(canonicalRequest);
        var text = new CharBuffer(stackalloc char[StackChars]);
        try
        {
            WriteStringToSign(ref text, amzDate, scope, canonicalRequest);
            return text.ToString();
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>The canonical request into <paramref name="text"/>: what <see cref="Build"/> returns, built where it is hashed.</summary>
    internal static void Write(
        ref CharBuffer text, SigV4Request request, IReadOnlyList<string> signedHeaders, string service, string? excludedQueryParameter)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);

        foreach (var c in request.Method)
        {
            text.Append(char.ToUpperInvariant(c));
        }

        text.Append('\n');
        text.Append(CanonicalUri(request.RawPath, IsS3(service)));
        text.Append('\n');
        text.Append(CanonicalQuery(request.RawQuery, excludedQueryParameter));
        text.Append('\n');
        WriteCanonicalHeaders(ref text, request, signedHeaders);
        text.Append('\n');
        for (var i = 0; i < signedHeaders.Count; i++)
        {
            if (i > 0)
            {
                text.Append(';');
            }

            text.Append(signedHeaders[i]);
        }

        text.Append('\n');
        text.Append(request.PayloadHash);
    }

    /// <summary>The string to sign into <paramref name="text"/>, over the canonical request's hash.</summary>
    internal static void WriteStringToSign(ref CharBuffer text, string amzDate, CredentialScope scope, ReadOnlySpan<char> canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(scope);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Utf8Bytes.Sha256(canonicalRequest, hash);
        Span<char> hex = stackalloc char[2 * SHA256.HashSizeInBytes];
        Convert.TryToHexStringLower(hash, hex, out _);

        text.Append(SigV4Constants.Algorithm);
        text.Append('\n');
        text.Append(amzDate);
        text.Append('\n');
        WriteScope(ref text, scope);
        text.Append('\n');
        text.Append(hex);
    }

    /// <summary><c>date/region/service/aws4_request</c>, as <see cref="CredentialScope.ToString"/> writes it.</summary>
    internal static void WriteScope(ref CharBuffer text, CredentialScope scope)
    {
        text.Append(scope.Date);
        text.Append('/');
        text.Append(scope.Region);
        text.Append('/');
        text.Append(scope.Service);
        text.Append('/');
        text.Append(SigV4Constants.Terminator);
    }

    /// <summary>
    /// Every service but S3: remove empty, <c>.</c> and <c>..</c> segments (RFC 3986) and URI-encode each segment of
    /// the already-encoded path once more ("double encoding"). S3: the decoded path, encoded once, unnormalized.
    /// </summary>
    public static string CanonicalUri(string rawPath, bool s3)
    {
        if (string.IsNullOrEmpty(rawPath) || rawPath == "/")
        {
            return "/";
        }

        if (s3)
        {
            return UriEncoding.Encode(UriEncoding.Decode(rawPath), encodeSlash: false);
        }

        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (segments.Count > 0)
                    {
                        segments.RemoveAt(segments.Count - 1);
                    }

                    continue;
                default:
                    segments.Add(UriEncoding.Encode(segment));
                    break;
            }
        }

        var path = "/" + string.Join('/', segments);
        var trailingSlash = segments.Count > 0 && rawPath.EndsWith('/');
        return trailingSlash ? path + "/" : path;
    }

    /// <summary>Decoded, re-encoded the AWS way, sorted by name then value; empty values keep their <c>=</c>.</summary>
    public static string CanonicalQuery(string rawQuery, string? excludedParameter = null)
    {
        if (string.IsNullOrEmpty(rawQuery))
        {
            return string.Empty;
        }

        var pairs = new List<(string Name, string Value)>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = part.IndexOf('=', StringComparison.Ordinal);
            var name = UriEncoding.Decode(separator < 0 ? part : part[..separator]);
            var value = separator < 0 ? string.Empty : UriEncoding.Decode(part[(separator + 1)..]);
            if (excludedParameter is not null && string.Equals(name, excludedParameter, StringComparison.Ordinal))
            {
                continue;
            }

            pairs.Add((UriEncoding.Encode(name), UriEncoding.Encode(value)));
        }

        pairs.Sort(static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// <c>name:value\n</c> for each signed header; repeated headers are joined with commas in the order received,
    /// values are trimmed and inner runs of whitespace collapse to one space.
    /// </summary>
    public static string CanonicalHeaders(SigV4Request request, IReadOnlyList<string> signedHeaders)
    {
        var text = new CharBuffer(stackalloc char[StackChars]);
        try
        {
            WriteCanonicalHeaders(ref text, request, signedHeaders);
            return text.ToString();
        }
        finally
        {
            text.Dispose();
        }
    }

    private static void WriteCanonicalHeaders(ref CharBuffer text, SigV4Request request, IReadOnlyList<string> signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);

        var headers = request.Headers;
        foreach (var name in signedHeaders)
        {
            text.Append(name);
            text.Append(':');
            var first = true;
            for (var i = 0; i < headers.Count; i++)
            {
                var (header, value) = headers[i];
                if (string.Equals(header, name, StringComparison.OrdinalIgnoreCase))
                {
                    if (!first)
                    {
                        text.Append(',');
                    }

                    AppendNormalized(ref text, value);
                    first = false;
                }
            }

            text.Append('\n');
        }
    }

    /// <summary>The sorted, lower-case, distinct names of the given headers.</summary>
    public static IReadOnlyList<string> SignedHeaderNames(IEnumerable<string> headerNames) =>
        headerNames.Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public static string HexSha256(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Utf8Bytes.Sha256(value, hash);
        return Convert.ToHexStringLower(hash);
    }

    public static string HexSha256(ReadOnlySpan<byte> value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(value, hash);
        return Convert.ToHexStringLower(hash);
    }

    internal static bool IsS3(string service) => string.Equals(service, "s3", StringComparison.Ordinal);

    private static void AppendNormalized(ref CharBuffer text, string value)
    {
        var pendingSpace = false;
        foreach (var c in value.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(c);
        }
    }
}
