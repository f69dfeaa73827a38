using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tap.Testing;

namespace Tap.Function.Tests;

/// <summary>
/// Configuration comes from Secrets Manager, lazily, through the cache. Every failure answers the contract's 500 and
/// leaves the operator a precise log entry; no secret value ever reaches a response or a log.
/// </summary>
public sealed class ConfigurationTests
{
    private static readonly string[] SecretValues = ["k-123", "postgres://u:p@db/app", "t-456"];

    private static async Task<(HttpResponseMessage Response, string Body)> GetAsync(FunctionFactory factory)
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync(new Uri("/orders/42", UriKind.Relative));
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static void AssertErrorContract(HttpResponseMessage response, string body)
    {
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Internal server error", json.RootElement.GetProperty("error").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-ID")), json.RootElement.GetProperty("requestId").GetString());
    }

    private static string ErrorLog(FunctionFactory factory) =>
        Assert.Single(factory.Logs.GetSnapshot(), r => r.Level == LogLevel.Error && r.Category == "Tap.Function.AppConfiguration").Message;

    [Fact]
    public async Task The_secret_is_read_once_and_served_from_the_cache()
    {
        using var factory = new FunctionFactory();

        await GetAsync(factory);
        await GetAsync(factory);

        Assert.Equal(1, factory.SecretsManager.GetSecretValueCalls);
    }

    [Fact]
    public async Task Missing_SECRET_ID_answers_500_and_says_so_in_the_log()
    {
        using var factory = new FunctionFactory { SecretIdSetting = null };

        var (response, body) = await GetAsync(factory);

        AssertErrorContract(response, body);
        Assert.Contains("SECRET_ID setting is not set", ErrorLog(factory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Access_denied_answers_500_and_logs_the_AWS_error()
    {
        using var factory = new FunctionFactory();
        factory.SecretsManager.Failure = FakeSecretsManager.ServiceError("AccessDeniedException");

        var (response, body) = await GetAsync(factory);

        AssertErrorContract(response, body);
        var log = ErrorLog(factory);
        Assert.Contains(FunctionFactory.SecretId, log, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_answers_500_and_logs_it()
    {
        using var factory = new FunctionFactory();
        factory.SecretsManager.Failure = new Amazon.Runtime.AmazonClientException("Connection refused");

        var (response, body) = await GetAsync(factory);

        AssertErrorContract(response, body);
        Assert.Contains("could not be reached", ErrorLog(factory), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_that_is_not_JSON_answers_500_and_logs_it()
    {
        using var factory = new FunctionFactory();
        factory.SecretsManager.SecretString = "plain-text-password";

        var (response, body) = await GetAsync(factory);

        AssertErrorContract(response, body);
        Assert.Contains("is not a JSON object", ErrorLog(factory), StringComparison.Ordinal);
        Assert.DoesNotContain("plain-text-password", string.Join('\n', factory.Logs.GetSnapshot().Select(r => r.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secret_values_never_reach_the_response_or_the_logs()
    {
        using var factory = new FunctionFactory();

        var (response, body) = await GetAsync(factory);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = string.Join('\n', factory.Logs.GetSnapshot().Select(r => r.Message + r.Exception));
        foreach (var value in SecretValues)
        {
            Assert.DoesNotContain(value, body, StringComparison.Ordinal);
            Assert.DoesNotContain(value, logs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Each_request_is_logged_once_with_its_outcome()
    {
        using var factory = new FunctionFactory();

        var (response, _) = await GetAsync(factory);

        var requestId = Assert.Single(response.Headers.GetValues("X-Request-ID"));
        var entry = Assert.Single(factory.Logs.GetSnapshot(), r => r.Category == "Tap.Function.Requests");
        Assert.StartsWith("GET /orders/42 answered 200 in ", entry.Message, StringComparison.Ordinal);
        Assert.Contains($"request {requestId}", entry.Message, StringComparison.Ordinal);
    }
}
