using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.Signing;
using Tap.Testing;

namespace Tap.Aws.Core.Tests;

/// <summary>Time windows, malformed authentication, session tokens and presigned URLs.</summary>
public sealed class SigV4VerifierTests
{
    [Theory]
    [InlineData(-4 * 60, true)]
    [InlineData(4 * 60, true)]
    [InlineData(-6 * 60, false)]
    [InlineData(6 * 60, false)]
    public async Task Header_auth_is_valid_within_five_minutes_of_the_signing_time(int offsetSeconds, bool valid)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier(SignedRequestBuilder.Now.AddSeconds(offsetSeconds))
            .Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(valid ? SigV4Status.Valid : SigV4Status.Expired, result.Status);
    }

    [Fact]
    public async Task Expired_signature_reports_AWS_message_and_error_codes()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier(SignedRequestBuilder.Now.AddMinutes(10)).Verify(request, SignedRequestBuilder.Options);

        Assert.StartsWith("Signature expired: 20261128T100000Z is now earlier than 20261128T100500Z", result.Message, StringComparison.Ordinal);
        Assert.Equal(new AwsError(400, "InvalidSignatureException", result.Message), AwsError.FromVerification(result, AwsProtocol.Json));
        Assert.Equal(new AwsError(403, "SignatureDoesNotMatch", result.Message), AwsError.FromVerification(result, AwsProtocol.Query));
    }

    [Fact]
    public void Request_without_authentication_is_missing_authentication()
    {
        var request = new SigV4Request("POST", "/", "", [new("Host", "localhost")], SigV4Constants.EmptyPayloadHash);

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.MissingAuthentication, result.Status);
        Assert.Equal("MissingAuthenticationTokenException", AwsError.FromVerification(result, AwsProtocol.Json).Code);
        Assert.Equal(new AwsError(403, "MissingAuthenticationToken", "Missing Authentication Token"), AwsError.FromVerification(result, AwsProtocol.Query));
    }

    [Theory]
    [InlineData("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc", "'Credential'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/secretsmanager/aws4_request, Signature=abc", "'SignedHeaders'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/secretsmanager/aws4_request, SignedHeaders=host", "'Signature'")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1, SignedHeaders=host, Signature=abc", "5 slash-delimited")]
    [InlineData("Bearer token", "AWS4-HMAC-SHA256")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc, Signature=def", "more than one 'Signature'")]
    [InlineData("AWS4-HMAC-SHA256 junk, Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=abc", "'junk' not a valid key=value pair (missing equal-sign)")]
    public void Malformed_authorization_is_an_incomplete_signature(string authorization, string expectedInMessage)
    {
        var request = new SigV4Request(
            "POST", "/", "", [new("Host", "localhost"), new("X-Amz-Date", "20261128T100000Z"), new("Authorization", authorization)],
            SigV4Constants.EmptyPayloadHash);

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.IncompleteSignature, result.Status);
        Assert.Contains(expectedInMessage, result.Message, StringComparison.Ordinal);
        Assert.Equal(new AwsError(400, "IncompleteSignature", result.Message), AwsError.FromVerification(result, AwsProtocol.Query));
    }

    [Theory]
    [InlineData("2026-11-28T10:00:00Z")]
    [InlineData("20261128T100000")]
    [InlineData("20261332T100000Z")]
    public async Task Malformed_X_Amz_Date_is_an_incomplete_signature(string amzDate)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request.WithHeader("X-Amz-Date", amzDate), SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.IncompleteSignature, result.Status);
    }

    [Fact]
    public async Task Missing_X_Amz_Date_is_an_incomplete_signature()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request.WithoutHeader("X-Amz-Date"), SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.IncompleteSignature, result.Status);
    }

    [Fact]
    public async Task An_x_amz_header_left_out_of_the_signature_is_refused_so_it_cannot_be_swapped()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var signedOverHostAndDate = request.SignedOnlyOver("host", "x-amz-date");
        var swapped = signedOverHostAndDate.WithHeader("X-Amz-Target", "secretsmanager.DeleteSecret");

        var result = SignedRequestBuilder.Verifier().Verify(swapped, SignedRequestBuilder.Options);
        var withAllSigned = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.SignatureMismatch, result.Status);
        Assert.Equal("There were headers present in the request which were not signed: x-amz-target", result.Message);
        Assert.True(withAllSigned.IsValid, withAllSigned.Message);
    }

    [Fact]
    public async Task Headers_outside_the_x_amz_family_may_be_left_unsigned()
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());

        var result = SignedRequestBuilder.Verifier().Verify(request.SignedOnlyOver("host", "x-amz-date", "x-amz-target"), SignedRequestBuilder.Options);

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task A_request_larger_than_the_stack_buffers_is_signed_to_its_last_character()
    {
        // Canonical request and string to sign are built on the stack up to 512 characters, then in a pooled array.
        var value = new string('v', 5000);
        var request = SignedRequestBuilder.JsonRequest();
        request.Headers.Add("X-Amz-Meta-Large", value);
        var signed = await SignedRequestBuilder.SignAsync(request);
        var changedAtTheEnd = signed.WithHeader("X-Amz-Meta-Large", value[..^1] + "w");

        var verifier = SignedRequestBuilder.Verifier();
        var result = verifier.Verify(signed, SignedRequestBuilder.Options);
        var changed = verifier.Verify(changedAtTheEnd, SignedRequestBuilder.Options);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(SigV4Status.SignatureMismatch, changed.Status);
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("X-Amz-Date")]
    [InlineData("X-Amz-Security-Token")]
    public async Task A_repeated_authentication_header_is_ambiguous_and_refused(string header)
    {
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest());
        var copies = request.GetHeader(header) is { } existing ? [new(header, existing)] : new KeyValuePair<string, string>[] { new(header, "token-1"), new(header, "token-2") };
        var repeated = request with { Headers = [.. request.Headers, .. copies] };

        var result = SignedRequestBuilder.Verifier().Verify(repeated, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.IncompleteSignature, result.Status);
        Assert.Contains($"more than one '{header.ToLowerInvariant()}' header", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_session_credentials_are_reported_as_an_expired_token()
    {
        var session = TestCredentials.New(temporary: true);
        var store = new ExpiringStore(session.AccessKey, session.Token);
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), session);

        var result = SignedRequestBuilder.Verifier(store: store).Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.ExpiredToken, result.Status);
        Assert.Equal("The security token included in the request is expired", result.Message);
        Assert.Equal("ExpiredTokenException", AwsError.FromVerification(result, AwsProtocol.Json).Code);
        Assert.Equal(403, AwsError.FromVerification(result, AwsProtocol.Query).StatusCode);
    }

    [Fact]
    public async Task Session_credentials_verify_only_with_their_token()
    {
        var store = SignedRequestBuilder.Store();
        var session = TestCredentials.New(temporary: true);
        store[session.AccessKey] = session.SecretKey;
        store.SessionTokens[session.AccessKey] = session.Token;
        var request = await SignedRequestBuilder.SignAsync(SignedRequestBuilder.JsonRequest(), session);

        var valid = SignedRequestBuilder.Verifier(store: store).Verify(request, SignedRequestBuilder.Options);
        var withoutToken = SignedRequestBuilder.Verifier(store: store).Verify(request.WithoutHeader("X-Amz-Security-Token"), SignedRequestBuilder.Options);
        var otherToken = SignedRequestBuilder.Verifier(store: store).Verify(request.WithHeader("X-Amz-Security-Token", "session-token-2"), SignedRequestBuilder.Options);

        Assert.True(valid.IsValid, valid.Message);
        Assert.Equal(session.Token, valid.Authorization!.SessionToken);
        Assert.Equal(SigV4Status.UnknownAccessKey, withoutToken.Status);
        Assert.Equal(SigV4Status.UnknownAccessKey, otherToken.Status);
    }

    [Fact]
    public void Presigned_url_verifies_until_it_expires()
    {
        var signer = new SigV4Signer(new FakeTimeProvider(SignedRequestBuilder.Now));
        var url = signer.Presign(
            HttpMethod.Get, new Uri("https://abc123.execute-api.us-east-1.amazonaws.com/prod/orders?x=1"),
            SignedRequestBuilder.Credentials, "us-east-1", "execute-api", TimeSpan.FromMinutes(15));
        var request = new SigV4Request("GET", url.AbsolutePath, url.Query.TrimStart('?'), [new("Host", url.Host)], SigV4Constants.EmptyPayloadHash);
        var options = new SigV4VerifierOptions("execute-api", "us-east-1");

        Assert.True(SignedRequestBuilder.Verifier(SignedRequestBuilder.Now.AddMinutes(14)).Verify(request, options).IsValid);
        Assert.Equal(SigV4Status.Expired, SignedRequestBuilder.Verifier(SignedRequestBuilder.Now.AddMinutes(16)).Verify(request, options).Status);
        Assert.Equal(
            SigV4Status.SignatureMismatch,
            SignedRequestBuilder.Verifier().Verify(request with { RawQuery = request.RawQuery.Replace("x=1", "x=2", StringComparison.Ordinal) }, options).Status);
        Assert.Equal(
            SigV4Status.SignatureMismatch,
            SignedRequestBuilder.Verifier().Verify(request with { RawPath = "/prod/admin" }, options).Status);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("604801")]
    [InlineData("soon")]
    public void Presigned_url_with_invalid_expiry_is_incomplete(string expires)
    {
        var query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-east-1%2Fsecretsmanager%2Faws4_request" +
            $"&X-Amz-Date=20261128T100000Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=abc";
        var request = new SigV4Request("GET", "/", query, [new("Host", "localhost")], SigV4Constants.EmptyPayloadHash);

        var result = SignedRequestBuilder.Verifier().Verify(request, SignedRequestBuilder.Options);

        Assert.Equal(SigV4Status.IncompleteSignature, result.Status);
    }

    [Fact]
    public void Presigning_longer_than_a_week_is_refused()
    {
        var signer = new SigV4Signer(new FakeTimeProvider(SignedRequestBuilder.Now));

        Assert.Throws<ArgumentOutOfRangeException>(() => signer.Presign(
            HttpMethod.Get, new Uri("https://example.com/"), SignedRequestBuilder.Credentials, "us-east-1", "s3", TimeSpan.FromDays(8)));
    }

    [Fact]
    public async Task Signing_handler_signs_each_request_with_current_credentials()
    {
        var capture = new CapturingHandler();
        using var handler = new SigV4SigningHandler(
            new BasicAWSCredentials(SignedRequestBuilder.AccessKeyId, SignedRequestBuilder.SecretAccessKey),
            SignedRequestBuilder.Region, SignedRequestBuilder.Service, new SigV4Signer(new FakeTimeProvider(SignedRequestBuilder.Now)))
        {
            InnerHandler = capture,
        };
        using var client = new HttpClient(handler);

        using var request = SignedRequestBuilder.JsonRequest();
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var wire = await SignedRequestBuilder.ToWireAsync(capture.Requests.Single());
        Assert.True(SignedRequestBuilder.Verifier().Verify(wire, SignedRequestBuilder.Options).IsValid);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }

    /// <summary>A store whose one session has expired.</summary>
    private sealed class ExpiringStore(string accessKeyId, string token) : ISigV4CredentialStore
    {
        public bool TryGetSecretAccessKey(string id, string? sessionToken, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? secretAccessKey)
        {
            secretAccessKey = null;
            return false;
        }

        public bool HasExpired(string id, string? sessionToken) => id == accessKeyId && sessionToken == token;
    }
}
