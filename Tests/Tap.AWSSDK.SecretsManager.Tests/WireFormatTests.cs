using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.SecretsManager.Model;
using Microsoft.Extensions.Time.Testing;
using Tap.Aws.Signing;

namespace Tap.Aws.SecretsManager.Tests;

/// <summary>What goes over the wire, compared with the Secrets Manager API reference's examples.</summary>
public sealed class WireFormatTests : IDisposable
{
    // From the API reference's GetSecretValue example response.
    private const string DocumentedGetSecretValueResponse = """
        {"ARN":"arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3","CreatedDate":1.523477145713E9,
         "Name":"MyTestDatabaseSecret","SecretString":"{\n  \"username\":\"david\",\n  \"password\":\"EXAMPLE-PASSWORD\"\n}\n",
         "VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSPREVIOUS"]}
        """;

    private readonly SecretsManagerTestHost _host = new();

    [Fact]
    public async Task GetSecretValue_sends_the_documented_request()
    {
        _host.Network.Respond(HttpStatusCode.OK, DocumentedGetSecretValueResponse);

        await _host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "MyTestDatabaseSecret", VersionStage = "AWSPREVIOUS" }, TestContext.Current.CancellationToken);

        var sent = Assert.Single(_host.Network.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(SecretsManagerTestHost.Endpoint, sent.Uri);
        Assert.Equal("application/x-amz-json-1.1", sent.ContentType);
        Assert.Equal("secretsmanager.GetSecretValue", sent.Headers["X-Amz-Target"]);
        Assert.Equal("20261128T100000Z", sent.Headers["X-Amz-Date"]);
        Assert.Equal("""{"SecretId":"MyTestDatabaseSecret","VersionStage":"AWSPREVIOUS"}""", sent.Body);
        Assert.StartsWith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-east-1/secretsmanager/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=",
            sent.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetSecretValue_signature_matches_the_AWS_SDK_signer()
    {
        _host.Network.Respond(HttpStatusCode.OK, DocumentedGetSecretValueResponse);
        await _host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "MyTestDatabaseSecret" }, TestContext.Current.CancellationToken);
        var sent = Assert.Single(_host.Network.Requests);

        // The canonical request written out by hand from AWS's SigV4 documentation; AWSSDK.Core's own signer then
        // derives the key and signs it, independently of our implementation.
        var canonical = string.Join('\n',
            "POST",
            "/",
            "",
            "content-type:application/x-amz-json-1.1",
            "host:127.0.0.1:4566",
            "x-amz-date:20261128T100000Z",
            "x-amz-target:secretsmanager.GetSecretValue",
            "",
            "content-type;host;x-amz-date;x-amz-target",
            AWS4Signer.ComputeHash(sent.Body).ToHexLower());
        var sdk = AWS4Signer.ComputeSignature(
            new ImmutableCredentials(SecretsManagerTestHost.AccessKeyId, SecretsManagerTestHost.SecretAccessKey, null),
            "us-east-1", SecretsManagerTestHost.Now.UtcDateTime, "secretsmanager", "content-type;host;x-amz-date;x-amz-target", canonical);

        Assert.EndsWith("Signature=" + sdk.Signature, sent.Headers["Authorization"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sent_request_verifies_with_our_verifier()
    {
        _host.Network.Respond(HttpStatusCode.OK, DocumentedGetSecretValueResponse);
        await _host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "MyTestDatabaseSecret" }, TestContext.Current.CancellationToken);
        var sent = Assert.Single(_host.Network.Requests);
        var wire = new SigV4Request(
            "POST", "/", "",
            [new("Host", "127.0.0.1:4566"), new("Content-Type", sent.ContentType!), .. sent.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value))],
            CanonicalRequest.HexSha256(Encoding.UTF8.GetBytes(sent.Body)));
        var store = new SingleKeyStore(SecretsManagerTestHost.AccessKeyId, SecretsManagerTestHost.SecretAccessKey);

        var result = new SigV4Verifier(store, new FakeTimeProvider(SecretsManagerTestHost.Now))
            .Verify(wire, new SigV4VerifierOptions("secretsmanager", "us-east-1"));

        Assert.True(result.IsValid, result.Message);
    }

    [Fact]
    public async Task GetSecretValue_reads_the_documented_response()
    {
        _host.Network.Respond(HttpStatusCode.OK, DocumentedGetSecretValueResponse, requestId: "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111");

        var response = await _host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "MyTestDatabaseSecret" }, TestContext.Current.CancellationToken);

        Assert.Equal("arn:aws:secretsmanager:us-west-2:123456789012:secret:MyTestDatabaseSecret-a1b2c3", response.ARN);
        Assert.Equal("MyTestDatabaseSecret", response.Name);
        Assert.Equal("EXAMPLE1-90ab-cdef-fedc-ba987SECRET1", response.VersionId);
        Assert.Equal(["AWSPREVIOUS"], response.VersionStages);
        Assert.Equal(new DateTime(2018, 4, 11, 20, 5, 45, 713, DateTimeKind.Utc), response.CreatedDate);
        Assert.Contains("\"username\":\"david\"", response.SecretString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.HttpStatusCode);
        Assert.Equal("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", response.ResponseMetadata.RequestId);
    }

    [Fact]
    public async Task SecretBinary_travels_as_base64()
    {
        _host.Network.Respond(HttpStatusCode.OK, """{"ARN":"arn","Name":"bin","VersionId":"v1"}""");
        _host.Network.Respond(HttpStatusCode.OK, """{"Name":"bin","SecretBinary":"AAEC/w=="}""");

        await _host.Client.CreateSecretAsync(new CreateSecretRequest { Name = "bin", SecretBinary = new MemoryStream([0, 1, 2, 255]) }, TestContext.Current.CancellationToken);
        var read = await _host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "bin" }, TestContext.Current.CancellationToken);

        using var body = JsonDocument.Parse(_host.Network.Requests[0].Body);
        Assert.Equal("AAEC/w==", body.RootElement.GetProperty("SecretBinary").GetString());
        Assert.Equal([0, 1, 2, 255], read.SecretBinary!.ToArray());
    }

    public static TheoryData<string> WriteOperations() => new() { "CreateSecret", "PutSecretValue", "UpdateSecret" };

    [Theory]
    [MemberData(nameof(WriteOperations))]
    public async Task Writes_carry_an_idempotency_token_like_the_SDK(string operation)
    {
        _host.Network.Respond(HttpStatusCode.OK, """{"ARN":"arn","Name":"n","VersionId":"v"}""");

        _ = operation switch
        {
            "CreateSecret" => (AmazonWebServiceResponse)await _host.Client.CreateSecretAsync(new CreateSecretRequest { Name = "n", SecretString = "{}" }, TestContext.Current.CancellationToken),
            "PutSecretValue" => await _host.Client.PutSecretValueAsync(new PutSecretValueRequest { SecretId = "n", SecretString = "{}" }, TestContext.Current.CancellationToken),
            _ => await _host.Client.UpdateSecretAsync(new UpdateSecretRequest { SecretId = "n", SecretString = "{}" }, TestContext.Current.CancellationToken),
        };

        var sent = Assert.Single(_host.Network.Requests);
        Assert.Equal("secretsmanager." + operation, sent.Headers["X-Amz-Target"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.True(Guid.TryParse(body.RootElement.GetProperty("ClientRequestToken").GetString(), out _));
    }

    [Fact]
    public async Task Every_operation_posts_to_its_target_and_omits_absent_members()
    {
        _host.Network
            .Respond(HttpStatusCode.OK, """{"ARN":"a","Name":"n","VersionIdsToStages":{"v1":["AWSCURRENT"]},"CreatedDate":1.7E9}""")
            .Respond(HttpStatusCode.OK, """{"ARN":"a","Name":"n","DeletionDate":1.7E9}""")
            .Respond(HttpStatusCode.OK, """{"SecretList":[],"NextToken":null}""");

        var described = await _host.Client.DescribeSecretAsync(new DescribeSecretRequest { SecretId = "n" }, TestContext.Current.CancellationToken);
        await _host.Client.DeleteSecretAsync(new DeleteSecretRequest { SecretId = "n", RecoveryWindowInDays = 7 }, TestContext.Current.CancellationToken);
        await _host.Client.ListSecretsAsync(new ListSecretsRequest { MaxResults = 10, Filters = [new Filter { Key = "name", Values = ["tap/"] }] }, TestContext.Current.CancellationToken);

        Assert.Equal(["AWSCURRENT"], described.VersionIdsToStages!["v1"]);
        Assert.Equal(
            ["secretsmanager.DescribeSecret", "secretsmanager.DeleteSecret", "secretsmanager.ListSecrets"],
            _host.Network.Requests.Select(r => r.Headers["X-Amz-Target"]));
        Assert.Equal(
            [
                """{"SecretId":"n"}""",
                """{"SecretId":"n","RecoveryWindowInDays":7}""",
                """{"MaxResults":10,"Filters":[{"Key":"name","Values":["tap/"]}]}""",
            ],
            _host.Network.Requests.Select(r => r.Body));
    }

    [Fact]
    public async Task ListSecrets_paginator_follows_NextToken()
    {
        _host.Network
            .Respond(HttpStatusCode.OK, """{"SecretList":[{"Name":"a"},{"Name":"b"}],"NextToken":"t1"}""")
            .Respond(HttpStatusCode.OK, """{"SecretList":[{"Name":"c"}]}""");

        var names = new List<string?>();
        await foreach (var entry in _host.Client.Paginators.ListSecrets(new ListSecretsRequest { MaxResults = 2 }).SecretList)
        {
            names.Add(entry.Name);
        }

        Assert.Equal(["a", "b", "c"], names);
        Assert.Equal("""{"MaxResults":2,"NextToken":"t1"}""", _host.Network.Requests[1].Body);
    }

    public void Dispose() => _host.Dispose();

    private sealed class SingleKeyStore(string accessKeyId, string secret) : ISigV4CredentialStore
    {
        public bool TryGetSecretAccessKey(string id, string? sessionToken, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? secretAccessKey)
        {
            secretAccessKey = id == accessKeyId ? secret : null;
            return secretAccessKey is not null;
        }
    }
}

internal static class HexExtensions
{
    public static string ToHexLower(this byte[] bytes) => Convert.ToHexStringLower(bytes);
}
