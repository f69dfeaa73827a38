using System.Security.Cryptography;
using System.Text;

namespace Tap.Aws.Signing;

/// <summary>
/// The one implementation of SigV4's canonical request and string to sign. Signing and verifying both go through
/// here, so a request the signer produces is, by construction, the request the verifier expects.
/// </summary>
public static class CanonicalRequest
{
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
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);

        return string.Join('\n',
            request.Method.ToUpperInvariant(),
            CanonicalUri(request.RawPath, IsS3(service)),
            CanonicalQuery(request.RawQuery, excludedQueryParameter),
            CanonicalHeaders(request, signedHeaders),
            string.Join(';', signedHeaders),
            request.PayloadHash);
    }

    /// <summary>Builds the string to sign (task 2) from the canonical request.</summary>
    public static string StringToSign(string amzDate, CredentialScope scope, string canonicalRequest)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return string.Join('\n', SigV4Constants.Algorithm, amzDate, scope.ToString(), HexSha256(canonicalRequest));
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
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signedHeaders);

        var builder = new StringBuilder(256);
        foreach (var name in signedHeaders)
        {
            builder.Append(name).Append(':');
            var first = true;
            foreach (var (header, value) in request.Headers)
            {
                if (string.Equals(header, name, StringComparison.OrdinalIgnoreCase))
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    AppendNormalized(builder, value);
                    first = false;
                }
            }

            builder.Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The sorted, lower-case, distinct names of the given headers.</summary>
    public static IReadOnlyList<string> SignedHeaderNames(IEnumerable<string> headerNames) =>
        headerNames.Select(h => h.ToLowerInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();

    public static string HexSha256(string value) => Utf8Bytes.Use(value, 0, static (bytes, _) => HexSha256(bytes));

    public static string HexSha256(ReadOnlySpan<byte> value) => Convert.ToHexStringLower(SHA256.HashData(value));

    internal static bool IsS3(string service) => string.Equals(service, "s3", StringComparison.Ordinal);

    private static void AppendNormalized(StringBuilder builder, string value)
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
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }
    }
}
