using System.Text.Json;
using Tap.Testing;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary><c>curl --aws-sigv4</c>, a client no one here wrote, calls the gateway as the README shows.</summary>
[Trait("Category", "Process")]
public sealed class CurlGatewayTests(GatewayFixture gateway) : IClassFixture<GatewayFixture>
{
    [Fact]
    public async Task A_request_signed_by_curl_is_admitted_with_long_term_keys_and_with_session_credentials()
    {
        var session = await gateway.AssumeInvokerRoleAsync("curl");
        var url = new Uri(gateway.TestApi, "/prod/orders/42").ToString();

        var withKeys = await CurlAsync(url, $"{TestPrincipals.Invoker.AccessKey}:{TestPrincipals.Invoker.SecretKey}");
        var withSession = await CurlAsync(url, $"{session.AccessKey}:{session.SecretKey}", "-H", $"x-amz-security-token: {session.Token}");
        var wrongKey = await CurlAsync(url, $"{TestPrincipals.Invoker.AccessKey}:{TestPrincipals.Reader.SecretKey}");

        Assert.Equal(200, withKeys.Status);
        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:user/invoker", UserArn(withKeys.Body));
        Assert.Equal(200, withSession.Status);
        Assert.Equal($"arn:aws:sts::{TestPrincipals.AccountId}:assumed-role/api-invoker-role/curl", UserArn(withSession.Body));
        Assert.Equal(403, wrongKey.Status);
    }

    private static async Task<(int Status, string Body)> CurlAsync(string url, string user, params string[] extra)
    {
        var result = await ExternalProcess.RunAsync("curl", ["-sS", "--aws-sigv4", "aws:amz:us-east-1:execute-api", "--user", user, .. extra, "-w", "\n%{http_code}", url]);
        Assert.True(result.ExitCode == 0, result.Error);
        var split = result.Output.LastIndexOf('\n');
        return (int.Parse(result.Output[(split + 1)..], System.Globalization.CultureInfo.InvariantCulture), result.Output[..split]);
    }

    private static string? UserArn(string @event) =>
        JsonDocument.Parse(@event).RootElement.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam").GetProperty("userArn").GetString();
}
