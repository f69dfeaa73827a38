using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Tap.Aws.Protocol;
using Tap.Aws.Signing;

namespace Tap.LocalAws.Tests;

/// <summary>
/// What a request may carry: a body no larger than the limit, however it is framed, and no header that changes
/// what it does unless the signature covers it.
/// </summary>
public sealed class RequestIntegrityTests(LocalAwsFactory factory) : IClassFixture<LocalAwsFactory>
{
    private const int Limit = 1024 * 1024;

    private static HttpRequestMessage SecretsManagerCall(string operation, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/") { Content = content };
        request.Content.Headers.ContentType = new(AwsJsonProtocol.ContentType);
        request.Headers.Add(AwsHeaders.Target, AwsServiceMetadata.SecretsManager.JsonTarget(operation));
        return request;
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_refused_with_413_in_the_JSON_shape_without_being_read_whole()
    {
        using var client = factory.Server.CreateClient();
        var body = new GeneratedBodyStream(Limit * 30);
        using var request = SecretsManagerCall("CreateSecret", new StreamContent(body));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestEntityTooLargeException", error.RootElement.GetProperty("__type").GetString());

        // Read (and dropped) up to twice the limit, so a client still sending can read the answer, plus what the
        // transport buffers ahead of the reader; never all 30.
        Assert.InRange(body.Served, Limit, Limit * 3);
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_and_one_far_over_it_before_reading()
    {
        using var client = factory.Server.CreateClient();
        using var request = SecretsManagerCall("CreateSecret", new ByteArrayContent(new byte[Limit + 1]));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        var huge = new GeneratedBodyStream(Limit * 30);
        using var declared = new StreamContent(huge);
        declared.Headers.ContentLength = Limit * 30;
        using var hugeRequest = SecretsManagerCall("CreateSecret", declared);
        using var hugeResponse = await client.SendAsync(hugeRequest, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeResponse.StatusCode);
        Assert.InRange(huge.Served, 0, 64 * 1024);
    }

    [Fact]
    public async Task A_Query_protocol_body_over_the_limit_is_refused_in_the_XML_shape()
    {
        using var client = factory.Server.CreateClient();
        using var content = new StreamContent(new GeneratedBodyStream(Limit + 10));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");

        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content, TestContext.Current.CancellationToken);
        var error = XDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Root!;

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("RequestEntityTooLarge", error.Element(StsQuery.Ns + "Error")!.Element(StsQuery.Ns + "Code")!.Value);
    }

    [Fact]
    public async Task A_body_at_the_limit_is_read()
    {
        using var client = factory.Server.CreateClient();
        using var request = SecretsManagerCall("ListSecrets", new StreamContent(new GeneratedBodyStream(Limit)));

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        // Read, then refused for what it is: an unsigned request, not an oversized one.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("MissingAuthenticationTokenException", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operation_selector_added_after_signing_is_refused_not_obeyed()
    {
        using var client = factory.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/")
        {
            Content = new StringContent($$"""{"SecretId":"{{TestPrincipals.ConfigSecretName}}"}""", Encoding.UTF8, AwsJsonProtocol.ContentType),
        };
        await new SigV4Signer(TimeProvider.System).SignAsync(request, TestPrincipals.Admin, "us-east-1", AwsServiceMetadata.SecretsManager.SigningName, TestContext.Current.CancellationToken);

        // Signed without a target; the target is added afterwards, as a man in the middle could.
        request.Headers.Add(AwsHeaders.Target, AwsServiceMetadata.SecretsManager.JsonTarget("GetSecretValue"));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidSignatureException", error.RootElement.GetProperty("__type").GetString());
        Assert.Equal("There were headers present in the request which were not signed: x-amz-target", error.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_session_token_added_after_signing_is_refused()
    {
        var (_, assumed) = await StsQuery.CallAsync(factory, TestPrincipals.Admin, StsQuery.AssumeRole(TestPrincipals.RoleArn, "unsigned-token"));
        var session = StsQuery.Credentials(assumed);
        using var client = factory.Server.CreateClient();
        using var request = SecretsManagerCall("ListSecrets", new StringContent("{}", Encoding.UTF8));
        await new SigV4Signer(TimeProvider.System).SignAsync(request, new ImmutableCredentials(session.AccessKey, session.SecretKey, null), "us-east-1", "secretsmanager", TestContext.Current.CancellationToken);

        request.Headers.Add("X-Amz-Security-Token", session.Token);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Contains("not signed: x-amz-security-token", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_Authorization_headers_are_ambiguous_and_refused()
    {
        using var client = factory.Server.CreateClient();
        using var request = SecretsManagerCall("ListSecrets", new StringContent("{}", Encoding.UTF8));
        await new SigV4Signer(TimeProvider.System).SignAsync(request, TestPrincipals.Admin, "us-east-1", "secretsmanager", TestContext.Current.CancellationToken);
        request.Headers.TryAddWithoutValidation("Authorization", request.Headers.GetValues("Authorization").Single());

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("IncompleteSignatureException", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
