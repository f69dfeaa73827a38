using System.Net;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;

namespace Tap.Aws.SecretsManager.Tests;

/// <summary>AWS's documented error bodies become the SDK's typed exceptions; retries follow AWS's standard mode.</summary>
public sealed class ErrorHandlingTests
{
    public static TheoryData<string, string, Type> DocumentedErrors() => new()
    {
        { """{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}""", "ResourceNotFoundException", typeof(ResourceNotFoundException) },
        { """{"__type":"InvalidRequestException","Message":"You can't perform this operation on the secret because it was marked for deletion."}""", "InvalidRequestException", typeof(InvalidRequestException) },
        { """{"__type":"com.amazonaws.secretsmanager#InvalidParameterException","message":"Invalid name"}""", "InvalidParameterException", typeof(InvalidParameterException) },
        { """{"__type":"ResourceExistsException:http://internal.amazon.com/coral/com.amazonaws.secretsmanager/","message":"exists"}""", "ResourceExistsException", typeof(ResourceExistsException) },
        { """{"__type":"AccessDeniedException","Message":"User: arn:aws:iam::000000000000:user/invoker is not authorized to perform: secretsmanager:GetSecretValue"}""", "AccessDeniedException", typeof(AccessDeniedException) },
        { """{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""", "UnrecognizedClientException", typeof(AmazonSecretsManagerException) },
        { """{"__type":"InvalidSignatureException","message":"Signature expired"}""", "InvalidSignatureException", typeof(AmazonSecretsManagerException) },
    };

    [Theory]
    [MemberData(nameof(DocumentedErrors))]
    public async Task Error_body_becomes_a_typed_exception_with_code_and_request_id(string body, string code, Type exceptionType)
    {
        using var host = new SecretsManagerTestHost();
        host.Network.Respond(HttpStatusCode.BadRequest, body, requestId: "req-42");

        var ex = await Assert.ThrowsAnyAsync<AmazonSecretsManagerException>(
            () => host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken));

        Assert.IsType(exceptionType, ex);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal("req-42", ex.RequestId);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal(ErrorType.Sender, ex.ErrorType);
        Assert.Single(host.Network.Requests);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_until_success()
    {
        using var host = new SecretsManagerTestHost(realClock: true);
        host.Network
            .Respond(HttpStatusCode.BadRequest, """{"__type":"ThrottlingException","message":"Rate exceeded"}""")
            .Respond(HttpStatusCode.InternalServerError, """{"__type":"InternalServiceError","message":"oops"}""")
            .Respond(HttpStatusCode.OK, """{"Name":"x","VersionId":"v1"}""");

        var response = await host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken);

        Assert.Equal("v1", response.VersionId);
        Assert.Equal(3, host.Network.Requests.Count);
        Assert.NotEqual(host.Network.Requests[0].Headers["Authorization"], string.Empty);
    }

    [Fact]
    public async Task Retries_stop_after_three_attempts_even_with_the_ServiceDefaults_resilience_handler()
    {
        using var host = new SecretsManagerTestHost(realClock: true, withServiceDefaultsResilience: true);
        for (var i = 0; i < 12; i++)
        {
            host.Network.Respond(HttpStatusCode.ServiceUnavailable, """{"__type":"ServiceUnavailable","message":"down"}""");
        }

        var ex = await Assert.ThrowsAsync<AmazonSecretsManagerException>(
            () => host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken));

        Assert.Equal(ErrorType.Receiver, ex.ErrorType);
        Assert.Equal(3, host.Network.Requests.Count);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_a_client_exception_naming_the_endpoint()
    {
        using var host = new SecretsManagerTestHost(realClock: true, maxErrorRetry: 0);
        host.Network.Fail(new HttpRequestException("Connection refused"));

        var ex = await Assert.ThrowsAsync<AmazonClientException>(
            () => host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken));

        Assert.Contains("127.0.0.1:4566", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_JSON_error_still_raises_a_service_exception()
    {
        using var host = new SecretsManagerTestHost();
        host.Network.Respond(HttpStatusCode.Forbidden, "<html>Forbidden</html>");

        var ex = await Assert.ThrowsAsync<AmazonSecretsManagerException>(
            () => host.Client.GetSecretValueAsync(new GetSecretValueRequest { SecretId = "x" }, TestContext.Current.CancellationToken));

        Assert.Equal("HTTP403", ex.ErrorCode);
    }
}
