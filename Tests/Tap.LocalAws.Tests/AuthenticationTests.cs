using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>Every request is SigV4-verified; failures carry AWS's codes for the protocol in use.</summary>
public sealed class AuthenticationTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static HttpRequestMessage JsonCall(string operation = "ListSecrets", string body = "{}") => new(HttpMethod.Post, "/")
    {
        Headers = { { "X-Amz-Target", "secretsmanager." + operation } },
        Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
    };

    private static HttpRequestMessage QueryCall(string body = "Action=GetCallerIdentity&Version=2011-06-15") => new(HttpMethod.Post, "/")
    {
        Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
    };

    private static async Task<(HttpStatusCode Status, string Type, string Message)> JsonErrorAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        return (response.StatusCode, json.RootElement.GetProperty("__type").GetString()!, json.RootElement.GetProperty("message").GetString()!);
    }

    private static async Task<(HttpStatusCode Status, string Code, string Message)> QueryErrorAsync(HttpResponseMessage response)
    {
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element(Sts + "Error")!;
        return (response.StatusCode, error.Element(Sts + "Code")!.Value, error.Element(Sts + "Message")!.Value);
    }

    [Fact]
    public async Task Unsigned_requests_are_missing_authentication()
    {
        using var client = factory.CreateClient();

        using var json = await client.SendAsync(JsonCall(), TestContext.Current.CancellationToken);
        using var query = await client.SendAsync(QueryCall(), TestContext.Current.CancellationToken);

        Assert.Equal((HttpStatusCode.BadRequest, "MissingAuthenticationTokenException", "Missing Authentication Token"), await JsonErrorAsync(json));
        Assert.Equal((HttpStatusCode.Forbidden, "MissingAuthenticationToken", "Missing Authentication Token"), await QueryErrorAsync(query));
    }

    [Fact]
    public async Task Unknown_access_keys_are_unrecognized()
    {
        var stranger = new ImmutableCredentials(TestCredentials.NewAccessKeyId(), TestPrincipals.Admin.SecretKey, null);
        using var sm = factory.SignedClient(stranger, "secretsmanager");
        using var sts = factory.SignedClient(stranger, "sts");

        using var json = await sm.SendAsync(JsonCall(), TestContext.Current.CancellationToken);
        using var query = await sts.SendAsync(QueryCall(), TestContext.Current.CancellationToken);

        Assert.Equal("UnrecognizedClientException", (await JsonErrorAsync(json)).Type);
        Assert.Equal((HttpStatusCode.Forbidden, "InvalidClientTokenId"), Take2(await QueryErrorAsync(query)));
    }

    [Fact]
    public async Task Wrong_secret_keys_fail_the_signature()
    {
        var wrong = new ImmutableCredentials(TestPrincipals.Admin.AccessKey, "wrong-secret-key-wrong-secret-key-00000", null);
        using var sm = factory.SignedClient(wrong, "secretsmanager");
        using var sts = factory.SignedClient(wrong, "sts");

        using var json = await sm.SendAsync(JsonCall(), TestContext.Current.CancellationToken);
        using var query = await sts.SendAsync(QueryCall(), TestContext.Current.CancellationToken);

        Assert.Equal("InvalidSignatureException", (await JsonErrorAsync(json)).Type);
        Assert.Equal((HttpStatusCode.Forbidden, "SignatureDoesNotMatch"), Take2(await QueryErrorAsync(query)));
    }

    [Fact]
    public async Task Signatures_older_than_five_minutes_are_expired()
    {
        using var client = factory.SignedClient(TestPrincipals.Admin, "secretsmanager", new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-6)));

        using var response = await client.SendAsync(JsonCall(), TestContext.Current.CancellationToken);

        var (status, type, message) = await JsonErrorAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidSignatureException"), (status, type));
        Assert.StartsWith("Signature expired", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_body_fails_the_signature()
    {
        using var capture = new TamperingHandler(factory.Server.CreateHandler());
        var credentials = new BasicAWSCredentials(TestPrincipals.Admin.AccessKey, TestPrincipals.Admin.SecretKey);
        using var signer = new Tap.Aws.Signing.SigV4SigningHandler(credentials, "us-east-1", "secretsmanager", new Tap.Aws.Signing.SigV4Signer()) { InnerHandler = capture };
        using var client = new HttpClient(signer) { BaseAddress = new Uri("http://localhost/") };

        using var response = await client.SendAsync(JsonCall("ListSecrets", """{"MaxResults":1}"""), TestContext.Current.CancellationToken);

        Assert.Equal("InvalidSignatureException", (await JsonErrorAsync(response)).Type);
    }

    [Fact]
    public async Task Malformed_authorization_is_an_incomplete_signature()
    {
        using var client = factory.CreateClient();
        using var request = JsonCall();
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={TestPrincipals.Admin.AccessKey}/20261128/us-east-1/secretsmanager/aws4_request");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20261128T000000Z");

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        var (status, type, message) = await JsonErrorAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "IncompleteSignatureException"), (status, type));
        Assert.Contains("'Signature'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_for_another_service_is_refused()
    {
        using var client = factory.SignedClient(TestPrincipals.Admin, "execute-api");

        using var response = await client.SendAsync(JsonCall(), TestContext.Current.CancellationToken);

        var (_, type, message) = await JsonErrorAsync(response);
        Assert.Equal("InvalidSignatureException", type);
        Assert.Contains("'secretsmanager'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_operations_and_malformed_bodies_get_protocol_errors_without_echoing_input()
    {
        using var client = factory.SignedClient(TestPrincipals.Admin, "secretsmanager");

        using var unknown = await client.SendAsync(JsonCall("RotateEverything"), TestContext.Current.CancellationToken);
        using var malformed = await client.SendAsync(JsonCall("GetSecretValue", """{"SecretId": "s3cr3t-looking-input" """), TestContext.Current.CancellationToken);

        Assert.Equal("UnknownOperationException", (await JsonErrorAsync(unknown)).Type);
        var (_, type, message) = await JsonErrorAsync(malformed);
        Assert.Equal("SerializationException", type);
        Assert.DoesNotContain("s3cr3t", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_needs_no_signature()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static (HttpStatusCode, string) Take2((HttpStatusCode Status, string Code, string Message) error) => (error.Status, error.Code);

    /// <summary>Changes the body after it was signed, as a man in the middle would.</summary>
    private sealed class TamperingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Content = new StringContent("""{"MaxResults":100}""", Encoding.UTF8, "application/x-amz-json-1.1");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
