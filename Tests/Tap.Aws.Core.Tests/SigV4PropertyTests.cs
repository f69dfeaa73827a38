using System.Text;
using CsCheck;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.Signing;

namespace Tap.Aws.Core.Tests;

/// <summary>
/// Generated input for the SigV4 verifier: whatever a client sends in the Authorization header, the signing headers
/// or a presigned URL's query, the verifier answers (it never throws), admits nothing it should not, and its answer
/// maps to a 4xx with AWS's error code; and whatever a request's path, query and headers hold, what our signer
/// signs our verifier accepts, and a changed body it refuses.
/// </summary>
public sealed class SigV4PropertyTests
{
    private const int Samples = 500;

    private static readonly string[] Fragments =
    [
        "AWS4-HMAC-SHA256", "Credential=", "SignedHeaders=", "Signature=", ",", ", ", "/", ";", "=", " ", "aws4_request",
        SignedRequestBuilder.AccessKeyId, "20261128", "20261128T100000Z", "us-east-1", "secretsmanager", "host", "x-amz-date",
        "host;x-amz-date", "0123456789abcdef", "\t", "é🔑", "\u0000", "%", "%2F", "AWS4-HMAC-SHA256 Credential=",
    ];

    /// <summary>Text built from SigV4's own vocabulary, random characters and edge cases, up to a few hundred characters.</summary>
    private static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.OneOf(Fragments).Array[0, 12].Select(parts => string.Concat(parts))),
        (2, Gen.String[0, 120]),
        (1, Gen.Char.AlphaNumeric.Array[0, 400].Select(c => new string(c))));

    [Fact]
    public async Task A_mutated_authorization_header_is_never_valid_and_always_a_client_error()
    {
        var signed = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var authorization = signed.GetHeader("Authorization")!;
        var verifier = SignedRequestBuilder.Verifier();

        // Valid header with one span replaced by generated text, or generated text altogether.
        var mutated = Gen.Frequency(
            (4, Gen.Select(Gen.Int[0, authorization.Length], Gen.Int[0, 20], Text, (at, length, text) =>
                authorization[..at] + text + authorization[Math.Min(authorization.Length, at + length)..])),
            (1, Text));

        mutated.Where(header => header != authorization).Sample(header =>
        {
            var result = verifier.Verify(signed.WithHeader("Authorization", header), SignedRequestBuilder.Options);

            // A header still accepted carries the same Credential, SignedHeaders and Signature; only spacing, empty
            // fields (", ,") and fields SigV4 does not define may differ.
            if (result.Status == SigV4Status.Valid)
            {
                Assert.Equal(KnownFields(authorization), KnownFields(header));
                return;
            }

            AssertClientError(result);
        }, iter: Samples, print: header => header);
    }

    [Fact]
    public async Task Generated_signing_headers_and_presigned_query_parameters_are_answered_with_a_client_error()
    {
        var signed = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var verifier = SignedRequestBuilder.Verifier();
        string[] parameters = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"];
        var query = Gen.Select(Gen.OneOf(parameters), Text).Array[0, 8]
            .Select(pairs => string.Join('&', pairs.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}")));
        var headers = Gen.Select(Gen.OneOf("X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "Host"), Text).Array[0, 3];

        Gen.Select(query, headers, Gen.Bool).Sample((rawQuery, changes, keepAuthorization) =>
        {
            var request = keepAuthorization ? signed with { RawQuery = rawQuery } : signed.WithoutHeader("Authorization") with { RawQuery = rawQuery };
            foreach (var (name, value) in changes)
            {
                request = request.WithHeader(name, value);
            }

            var result = verifier.Verify(request, SignedRequestBuilder.Options);

            Assert.NotEqual(SigV4Status.Valid, result.Status);
            AssertClientError(result);
        }, iter: Samples, print: sample => sample.ToString());
    }

    [Fact]
    public async Task Any_path_query_and_header_values_our_signer_signs_verify_and_a_changed_body_does_not()
    {
        var segment = Gen.OneOf(Gen.String[0, 12], Gen.OneOf("a b", "é🔑", "~", "+", "%", "..", ".", "*", "$", "=", "&"));
        var request = Gen.Select(
            segment.Array[0, 4],
            Gen.Select(segment, segment).Array[0, 4],
            Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz-"].Array[1, 10].Select(c => "x-" + new string(c)), Gen.Char.AlphaNumeric.Array[0, 20].Select(c => new string(c))).Array[0, 3],
            Gen.String[0, 100]);
        var verifier = SignedRequestBuilder.Verifier();

        await request.SampleAsync(async (segments, query, headers, body) =>
        {
            var uri = new UriBuilder("https", "secretsmanager.us-east-1.amazonaws.com")
            {
                Path = "/" + string.Join('/', segments.Select(Uri.EscapeDataString)),
                Query = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Item1)}={Uri.EscapeDataString(q.Item2)}")),
            }.Uri;
            using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            foreach (var (name, value) in headers.DistinctBy(h => h.Item1))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }

            var wire = await SignedRequestBuilder.SignAsync(message);
            var verified = verifier.Verify(wire, SignedRequestBuilder.Options);
            Assert.True(verified.Status == SigV4Status.Valid, $"{verified.Status}: {verified.Message}");

            var tampered = wire with { PayloadHash = CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(body + "!")) };
            Assert.Equal(SigV4Status.SignatureMismatch, verifier.Verify(tampered, SignedRequestBuilder.Options).Status);
        }, iter: Samples, print: sample => sample.ToString());
    }

    /// <summary>The header's Credential, SignedHeaders and Signature fields, whitespace removed, in order.</summary>
    private static string[] KnownFields(string header)
    {
        var fields = header.Trim();
        return
        [
            .. fields[(fields.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split(',')
                .Select(f => string.Concat(f.Where(c => !char.IsWhiteSpace(c))))
                .Where(f => f.StartsWith("Credential=", StringComparison.Ordinal) || f.StartsWith("SignedHeaders=", StringComparison.Ordinal) || f.StartsWith("Signature=", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal),
        ];
    }

    private static void AssertClientError(SigV4VerificationResult result)
    {
        foreach (var protocol in (AwsProtocol[])[AwsProtocol.Json, AwsProtocol.Query])
        {
            var error = AwsError.FromVerification(result, protocol);
            Assert.InRange(error.StatusCode, 400, 499);
            Assert.False(string.IsNullOrEmpty(error.Code));
            Assert.False(string.IsNullOrEmpty(error.Message));
        }
    }
}
