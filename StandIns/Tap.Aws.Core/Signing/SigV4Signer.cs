using System.Globalization;
using Amazon.Runtime;

namespace Tap.Aws.Signing;

/// <summary>Signs requests with AWS Signature Version 4, in the <c>Authorization</c> header or as a presigned URL.</summary>
public sealed class SigV4Signer(TimeProvider clock)
{
    // Hop-by-hop headers, and headers that HttpClient or tracing add or rewrite after signing, are not signed.
    private static readonly HashSet<string> UnsignedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "authorization", "user-agent", "expect", "connection", "keep-alive", "proxy-connection", "transfer-encoding",
        "upgrade", "te", "trailer", "content-length", "x-amzn-trace-id", "traceparent", "tracestate", "baggage",
        "request-id", "correlation-context",
    };

    public SigV4Signer()
        : this(TimeProvider.System)
    {
    }

    /// <summary>
    /// Signs a neutral request over all of its headers but <c>Authorization</c>; it must already carry <c>host</c>,
    /// <c>x-amz-date</c> and, for session credentials, <c>x-amz-security-token</c>.
    /// </summary>
    /// <returns>The value of the <c>Authorization</c> header.</returns>
    public static string ComputeAuthorization(SigV4Request request, ImmutableCredentials credentials, CredentialScope scope)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(scope);

        var amzDate = request.GetHeader(SigV4Constants.Headers.XAmzDate)
            ?? throw new ArgumentException("The request has no X-Amz-Date header.", nameof(request));
        var signedHeaders = CanonicalRequest.SignedHeaderNames(
            request.Headers.Select(h => h.Key)
                .Where(name => !string.Equals(name, SigV4Constants.Headers.Authorization, StringComparison.OrdinalIgnoreCase)));
        var signature = ComputeSignature(request, signedHeaders, credentials.SecretKey, scope, amzDate);

        return $"{SigV4Constants.Algorithm} Credential={credentials.AccessKey}/{scope}, " +
            $"SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}";
    }

    /// <summary>The hex signature of a request over the given signed headers.</summary>
    public static string ComputeSignature(
        SigV4Request request,
        IReadOnlyList<string> signedHeaders,
        string secretAccessKey,
        CredentialScope scope,
        string amzDate,
        string? excludedQueryParameter = null)
    {
        Span<char> signature = stackalloc char[SigningKey.SignatureLength];
        ComputeSignature(request, signedHeaders, secretAccessKey, scope, amzDate, excludedQueryParameter, signature);
        return new string(signature);
    }

    /// <summary>
    /// As above, into <paramref name="signature"/> (<see cref="SigningKey.SignatureLength"/> characters): the canonical
    /// request and the string to sign are built on the stack and only hashed, so verifying a request makes no string.
    /// </summary>
    public static void ComputeSignature(
        SigV4Request request,
        IReadOnlyList<string> signedHeaders,
        string secretAccessKey,
        CredentialScope scope,
        string amzDate,
        string? excludedQueryParameter,
        Span<char> signature)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var canonical = new CharBuffer(stackalloc char[CanonicalRequest.StackChars]);
        var stringToSign = new CharBuffer(stackalloc char[CanonicalRequest.StackChars]);
        try
        {
            CanonicalRequest.Write(ref canonical, request, signedHeaders, scope.Service, excludedQueryParameter);
            CanonicalRequest.WriteStringToSign(ref stringToSign, amzDate, scope, canonical.Text);
            SigningKey.Sign(SigningKey.Derive(secretAccessKey, scope), stringToSign.Text, signature);
        }
        finally
        {
            canonical.Dispose();
            stringToSign.Dispose();
        }
    }

    /// <summary>Adds <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (session credentials) and <c>Authorization</c>.</summary>
    public async Task SignAsync(
        HttpRequestMessage request,
        ImmutableCredentials credentials,
        string region,
        string service,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URI.", nameof(request));
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The request URI must be absolute to be signed.", nameof(request));
        }

        var now = clock.GetUtcNow();
        var amzDate = FormatDateTime(now);
        var scope = new CredentialScope(FormatDate(now), region, service);

        // A retried request is signed again from scratch.
        request.Headers.Remove(SigV4Constants.Headers.Authorization);
        request.Headers.Remove(SigV4Constants.Headers.XAmzDate);
        request.Headers.Remove(SigV4Constants.Headers.XAmzSecurityToken);
        request.Headers.TryAddWithoutValidation(SigV4Constants.Headers.XAmzDate, amzDate);
        if (credentials.UseToken)
        {
            request.Headers.TryAddWithoutValidation(SigV4Constants.Headers.XAmzSecurityToken, credentials.Token);
        }

        var body = request.Content is null
            ? []
            : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var payloadHash = CanonicalRequest.HexSha256(body);
        if (CanonicalRequest.IsS3(service))
        {
            // S3 signs what x-amz-content-sha256 says: a caller's own mode (a hash, a STREAMING-… framing) is kept.
            if (request.Headers.TryGetValues(SigV4Constants.Headers.XAmzContentSha256, out var declared))
            {
                payloadHash = declared.First();
            }
            else
            {
                payloadHash = SigV4Constants.UnsignedPayload;
                request.Headers.TryAddWithoutValidation(SigV4Constants.Headers.XAmzContentSha256, payloadHash);
            }
        }

        var neutral = new SigV4Request(
            request.Method.Method,
            uri.AbsolutePath,
            uri.Query.TrimStart('?'),
            CollectHeaders(request, uri),
            payloadHash);
        request.Headers.TryAddWithoutValidation(
            SigV4Constants.Headers.Authorization, ComputeAuthorization(neutral, credentials, scope));
    }

    /// <summary>A presigned URL (query authentication) valid for <paramref name="expiresIn"/>; only <c>host</c> is signed.</summary>
    public Uri Presign(
        HttpMethod method,
        Uri uri,
        ImmutableCredentials credentials,
        string region,
        string service,
        TimeSpan expiresIn)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(credentials);
        var seconds = (long)expiresIn.TotalSeconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1, nameof(expiresIn));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, SigV4Constants.MaxPresignedExpirySeconds, nameof(expiresIn));

        var now = clock.GetUtcNow();
        var amzDate = FormatDateTime(now);
        var scope = new CredentialScope(FormatDate(now), region, service);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new(SigV4Constants.QueryParameters.Algorithm, SigV4Constants.Algorithm),
            new(SigV4Constants.QueryParameters.Credential, $"{credentials.AccessKey}/{scope}"),
            new(SigV4Constants.QueryParameters.Date, amzDate),
            new(SigV4Constants.QueryParameters.Expires, seconds.ToString(CultureInfo.InvariantCulture)),
            new(SigV4Constants.QueryParameters.SignedHeaders, SigV4Constants.Headers.Host),
        };
        if (credentials.UseToken)
        {
            parameters.Add(new(SigV4Constants.QueryParameters.SecurityToken, credentials.Token));
        }

        var existing = uri.Query.TrimStart('?');
        var added = string.Join('&', parameters.Select(p => UriEncoding.Encode(p.Key) + "=" + UriEncoding.Encode(p.Value)));
        var query = existing.Length == 0 ? added : existing + "&" + added;
        var payloadHash = CanonicalRequest.IsS3(service) ? SigV4Constants.UnsignedPayload : SigV4Constants.EmptyPayloadHash;
        var neutral = new SigV4Request(
            method.Method, uri.AbsolutePath, query, [new(SigV4Constants.Headers.Host, HostHeader(uri))], payloadHash);
        var signature = ComputeSignature(neutral, [SigV4Constants.Headers.Host], credentials.SecretKey, scope, amzDate);

        return new UriBuilder(uri) { Query = $"{query}&{SigV4Constants.QueryParameters.Signature}={signature}" }.Uri;
    }

    public static string FormatDateTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(SigV4Constants.DateTimeFormat, CultureInfo.InvariantCulture);

    public static string FormatDate(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(SigV4Constants.DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The <c>Host</c> header HttpClient will send: the host, plus the port when it is not the default.</summary>
    public static string HostHeader(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    private static List<KeyValuePair<string, string>> CollectHeaders(HttpRequestMessage request, Uri uri)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new(SigV4Constants.Headers.Host, request.Headers.Host ?? HostHeader(uri)),
        };

        // HttpClient writes a multi-valued header as one line joined with ", " (cookies with "; "): sign that line.
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            if (!string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase) && !UnsignedHeaders.Contains(name))
            {
                headers.Add(new(name, JoinForWire(name, values)));
            }
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers.NonValidated)
            {
                if (!UnsignedHeaders.Contains(name))
                {
                    headers.Add(new(name, JoinForWire(name, values)));
                }
            }
        }

        return headers;
    }

    private static string JoinForWire(string name, System.Net.Http.Headers.HeaderStringValues values) =>
        string.Join(string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ", values);
}
