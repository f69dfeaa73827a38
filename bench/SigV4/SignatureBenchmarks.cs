using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using BenchmarkDotNet.Attributes;
using Tap.Aws.Signing;

namespace Tap.Bench.SigV4;

/// <summary>
/// One signed Secrets Manager GetSecretValue request, as LocalAws receives it. Per call: AWSSDK.Core's AWS4Signer
/// canonicalizing it and computing its signature (the baseline), our signer doing the same, and our verifier doing
/// all a server does (parse the Authorization header, check scope and signed headers, look up the key, compute,
/// compare in constant time).
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "BenchmarkDotNet runs instance methods.")]
public class SignatureBenchmarks
{
    private const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string Body = """{"SecretId":"tap/api-config"}""";
    private static readonly DateTime SignedAt = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Uri Endpoint = new("http://localhost:4566/");
    private static readonly CredentialScope Scope = new("20261129", "us-east-1", "secretsmanager");
    private static readonly string AmzDate = SignedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private readonly Dictionary<string, string> _sdkHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Host"] = "localhost:4566",
        ["Content-Type"] = "application/x-amz-json-1.1",
        ["X-Amz-Date"] = AmzDate,
        ["X-Amz-Target"] = "secretsmanager.GetSecretValue",
    };

    private readonly string[] _signedHeaders = ["content-type", "host", "x-amz-date", "x-amz-target"];
    private readonly SigV4VerifierOptions _options = new("secretsmanager", "us-east-1");
    private SigV4Request _unsigned = null!;
    private SigV4Request _signed = null!;
    private SigV4Verifier _verifier = null!;
    private string _bodyHash = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bodyHash = CanonicalRequest.HexSha256(System.Text.Encoding.UTF8.GetBytes(Body));
        _unsigned = new SigV4Request("POST", "/", string.Empty, [.. _sdkHeaders], _bodyHash);
        var authorization = SigV4Signer.ComputeAuthorization(_unsigned, new ImmutableCredentials(AccessKeyId, SecretAccessKey, null), Scope);
        _signed = _unsigned with { Headers = [.. _sdkHeaders, new("Authorization", authorization)] };
        _verifier = new SigV4Verifier(new OneKey(), new FixedClock(SignedAt));
        if (!_verifier.Verify(_signed, _options).IsValid || AwsSdkSignature() != TapSignature())
        {
            throw new InvalidOperationException("The benchmarks do not compute the same, valid signature.");
        }
    }

    [Benchmark(Baseline = true, Description = "AWSSDK.Core AWS4Signer: canonicalize + sign")]
    public string AwsSdkSignature()
    {
        var sorted = SdkSigner.Sort(_sdkHeaders);
        var canonical = SdkSigner.Canonicalize(Endpoint, "POST", sorted, _bodyHash);
        return AWS4Signer.ComputeSignature(AccessKeyId, SecretAccessKey, Scope.Region, SignedAt, Scope.Service, SdkSigner.HeaderNames(sorted), canonical).Signature;
    }

    [Benchmark(Description = "Tap SigV4Signer: canonicalize + sign")]
    public string TapSignature() => SigV4Signer.ComputeSignature(_unsigned, _signedHeaders, SecretAccessKey, Scope, AmzDate);

    [Benchmark(Description = "Tap SigV4Verifier: parse + check + sign + compare")]
    public bool TapVerify() => _verifier.Verify(_signed, _options).IsValid;

    /// <summary>The SDK's canonicalization steps are protected: what <c>AWS4Signer.SignRequest</c> calls, reached from a subclass.</summary>
    private sealed class SdkSigner : AWS4Signer
    {
        public static IDictionary<string, string> Sort(IDictionary<string, string> headers) => SortAndPruneHeaders(headers);

        public static string Canonicalize(Uri endpoint, string method, IDictionary<string, string> sorted, string bodyHash) =>
            CanonicalizeRequest(endpoint, "/", method, sorted, string.Empty, bodyHash);

        public static string HeaderNames(IDictionary<string, string> sorted) => CanonicalizeHeaderNames(sorted);
    }

    private sealed class OneKey : ISigV4CredentialStore
    {
        public bool TryGetSecretAccessKey(string accessKeyId, string? sessionToken, [NotNullWhen(true)] out string? secretAccessKey)
        {
            secretAccessKey = accessKeyId == AccessKeyId && sessionToken is null ? SecretAccessKey : null;
            return secretAccessKey is not null;
        }
    }

    private sealed class FixedClock(DateTime now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(now);
    }
}
