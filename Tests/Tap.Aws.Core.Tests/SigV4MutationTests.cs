using Amazon.Runtime;
using Tap.Aws.Signing;
using Tap.Testing;

namespace Tap.Aws.Core.Tests;

/// <summary>Change any signed part of a signed request and verification must fail.</summary>
public sealed class SigV4MutationTests
{
    [Fact]
    public async Task Unchanged_signed_request_verifies()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(SignedRequestBuilder.AccessKeyId, result.Authorization!.AccessKeyId);
    }

    public static TheoryData<string, string> SignedHeaderMutations() => new()
    {
        { "Host", "evil.example.com" },
        { "X-Amz-Target", "secretsmanager.DeleteSecret" },
        { "X-Custom", "two" },
        { "Content-Type", "application/json" },
        { "X-Amz-Date", "20261128T100001Z" },
    };

    [Theory]
    [MemberData(nameof(SignedHeaderMutations))]
    public async Task Changing_a_signed_header_fails(string header, string value)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request.WithHeader(header, value), SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Removing_a_signed_header_fails()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request.WithoutHeader("X-Custom"), SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Adding_an_unsigned_header_is_allowed()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var withExtra = request with { Headers = [.. request.Headers, new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")] };

        var result = SignedRequestBuilder.Verifier().Verify(withExtra, SignedRequestBuilder.Options);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task Changing_the_method_fails()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request with { Method = "PUT" }, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Theory]
    [InlineData("/other")]
    [InlineData("/orders")]
    [InlineData("/%2F")]
    public async Task Changing_the_path_fails(string path)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request with { RawPath = path }, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Theory]
    [InlineData("a=1&b=three")]
    [InlineData("a=1")]
    [InlineData("a=1&b=two&c=3")]
    [InlineData("")]
    public async Task Changing_the_query_fails(string query)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request with { RawQuery = query }, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Reordering_the_query_still_verifies()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request with { RawQuery = "b=two&a=1" }, SignedRequestBuilder.Options);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task Tampering_with_the_body_fails()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var tampered = request with { PayloadHash = CanonicalRequest.HexSha256("""{"SecretId":"other"}""") };
        var result = SignedRequestBuilder.Verifier().Verify(tampered, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Unsigned_payload_is_rejected_outside_S3()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var unsigned = request with { Headers = [.. request.Headers, new("x-amz-content-sha256", SigV4Constants.UnsignedPayload)] };

        var result = SignedRequestBuilder.Verifier().Verify(unsigned with { PayloadHash = "anything" }, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Signature_for_another_region_fails_with_a_scope_message()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), region: "eu-west-1");

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
        Assert.Contains("eu-west-1", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signature_for_another_service_fails_with_a_scope_message()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), service: "execute-api");

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
        Assert.Contains("'secretsmanager'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_secret_key_fails()
    {
        var wrong = new ImmutableCredentials(SignedRequestBuilder.AccessKeyId, "not-the-secret-key-not-the-secret-key-00", null);
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), wrong);

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
    }

    [Fact]
    public async Task Unknown_access_key_fails()
    {
        var unknown = new ImmutableCredentials(TestCredentials.NewAccessKeyId(), SignedRequestBuilder.SecretAccessKey, null);
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), unknown);

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.UnknownAccessKey, result.Status);
    }

    [Fact]
    public async Task Signature_never_appears_in_the_failure_message()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var tampered = request.WithHeader("X-Custom", "two");
        var expected = SigV4Signer.ComputeSignature(
            tampered, ["content-type", "host", "x-amz-date", "x-amz-target", "x-custom"], SignedRequestBuilder.SecretAccessKey,
            new CredentialScope("20261128", "us-east-1", "secretsmanager"), "20261128T100000Z");

        var result = SignedRequestBuilder.Verifier().Verify(tampered, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
        Assert.DoesNotContain(expected, result.Message, StringComparison.Ordinal);
    }
}
