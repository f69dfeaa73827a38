using System.Net;
using System.Security.Cryptography;
using System.Xml.Linq;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests.S3;

/// <summary>An S3 answer: status, headers (response and content together), body, and S3's error code when there is one.</summary>
public sealed record S3Response(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The <c>Code</c> of an S3 error document, or <see langword="null"/>.</summary>
    public string? ErrorCode => Body.Length > 0 && Text.Contains("<Error>", StringComparison.Ordinal) ? XDocument.Parse(Text).Root!.Element("Code")?.Value : null;

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    /// <summary>The values of the elements named <paramref name="name"/> anywhere in the answer.</summary>
    public IReadOnlyList<string> Values(string name) =>
        [.. XDocument.Parse(Text).Descendants().Where(e => e.Name.LocalName == name).Select(e => e.Value)];
}

/// <summary>Raw, SigV4-signed S3 requests to an in-process LocalAws: any method, path, header and body a test needs.</summary>
public sealed class S3Http(HttpClient client) : IDisposable
{
    public static S3Http For(LocalAwsFactory factory, ImmutableCredentials credentials, bool https = false)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new(factory.SignedClient(credentials, "s3", baseAddress: https ? new Uri("https://localhost/") : null));
    }

    /// <summary>The MD5 S3 uses for ETags and <c>Content-MD5</c>.</summary>
#pragma warning disable CA5351 // S3 defines these digests as MD5; nothing here relies on it for security.
    public static byte[] Md5(byte[] data) => MD5.HashData(data);
#pragma warning restore CA5351

    /// <summary>A bucket name no other test uses.</summary>
    public static string NewBucket() => "b-" + Guid.NewGuid().ToString("N")[..20];

    public async Task<S3Response> SendAsync(
        HttpMethod method, string pathAndQuery, byte[]? body = null, IReadOnlyDictionary<string, string>? headers = null, string? host = null)
    {
        using var request = new HttpRequestMessage(method, pathAndQuery);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        return new S3Response(response.StatusCode, Collect(response), await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    public Task<S3Response> PutAsync(string path, byte[] body, IReadOnlyDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Put, path, body, headers);

    public Task<S3Response> GetAsync(string path, IReadOnlyDictionary<string, string>? headers = null) => SendAsync(HttpMethod.Get, path, null, headers);

    public Task<S3Response> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    /// <summary>Creates a bucket and checks that S3 said so.</summary>
    public async Task<string> CreateBucketAsync(string? name = null)
    {
        name ??= NewBucket();
        var created = await SendAsync(HttpMethod.Put, "/" + name);
        Assert.True(created.Status == HttpStatusCode.OK, created.Text);
        return name;
    }

    public void Dispose() => client.Dispose();

    private static Dictionary<string, string> Collect(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat<KeyValuePair<string, IEnumerable<string>>>(response.Content.Headers))
        {
            headers[name] = string.Join(",", values);
        }

        return headers;
    }
}
