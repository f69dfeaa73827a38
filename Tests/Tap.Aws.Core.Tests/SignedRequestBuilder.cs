using System.Text;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Tap.Aws.Signing;

namespace Tap.Aws.Core.Tests;

/// <summary>Signs real HttpRequestMessages and turns them into what a server receives.</summary>
public static class SignedRequestBuilder
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    public const string Region = "us-east-1";
    public const string Service = "secretsmanager";
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    public static ImmutableCredentials Credentials { get; } = new(AccessKeyId, SecretAccessKey, null);

    public static InMemoryCredentialStore Store() => new() { [AccessKeyId] = SecretAccessKey };

    public static SigV4Verifier Verifier(DateTimeOffset? now = null, ISigV4CredentialStore? store = null) =>
        new(store ?? Store(), new FakeTimeProvider(now ?? Now));

    public static SigV4VerifierOptions Options { get; } = new(Service, Region);

    public static HttpRequestMessage JsonRequest(string body = """{"SecretId":"tap/api-config"}""") => new(HttpMethod.Post, "https://secretsmanager.us-east-1.amazonaws.com/?a=1&b=two")
    {
        Headers = { { "X-Amz-Target", "secretsmanager.GetSecretValue" }, { "X-Custom", "one" } },
        Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    public static async Task<SigV4Request> SignAsync(
        HttpRequestMessage request, ImmutableCredentials? credentials = null, DateTimeOffset? at = null, string region = Region, string service = Service)
    {
        await new SigV4Signer(new FakeTimeProvider(at ?? Now)).SignAsync(request, credentials ?? Credentials, region, service);
        return await ToWireAsync(request);
    }

    /// <summary>The request as a server sees it: host, every header line, raw path and query, body hash.</summary>
    public static async Task<SigV4Request> ToWireAsync(HttpRequestMessage request)
    {
        var uri = request.RequestUri!;
        var headers = new List<KeyValuePair<string, string>> { new("Host", SigV4Signer.HostHeader(uri)) };
        headers.AddRange(request.Headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
        byte[] body = [];
        if (request.Content is not null)
        {
            headers.AddRange(request.Content.Headers.NonValidated.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
            body = await request.Content.ReadAsByteArrayAsync();
        }

        return new SigV4Request(request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, CanonicalRequest.HexSha256(body));
    }

    /// <summary>
    /// The request re-signed, correctly, over only <paramref name="signedHeaders"/>: what a client that leaves
    /// headers out of its signature sends, and what an attacker can then change freely.
    /// </summary>
    public static SigV4Request SignedOnlyOver(this SigV4Request request, params string[] signedHeaders)
    {
        ArgumentNullException.ThrowIfNull(request);
        var amzDate = request.GetHeader(SigV4Constants.Headers.XAmzDate)!;
        var scope = new CredentialScope(amzDate[..8], Region, Service);
        var signature = SigV4Signer.ComputeSignature(request, signedHeaders, SecretAccessKey, scope, amzDate);
        return request.WithHeader("Authorization", $"{SigV4Constants.Algorithm} Credential={AccessKeyId}/{scope}, SignedHeaders={string.Join(';', signedHeaders)}, Signature={signature}");
    }

    public static SigV4Request WithHeader(this SigV4Request request, string name, string value) => request with
    {
        Headers = request.Headers
            .Select(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase) ? new KeyValuePair<string, string>(h.Key, value) : h)
            .ToList(),
    };

    public static SigV4Request WithoutHeader(this SigV4Request request, string name) => request with
    {
        Headers = request.Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToList(),
    };
}
