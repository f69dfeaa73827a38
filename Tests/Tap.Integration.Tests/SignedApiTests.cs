using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>The API as a caller sees it: the gateway's IAM authorization in front of the Function running as Lambda.</summary>
[Trait("Category", "Process")]
public sealed class SignedApiTests(TapAppFixture fixture)
{
    [Theory]
    [InlineData("")]
    [InlineData("orders/42/items?expand=lines")]
    public async Task A_request_signed_by_the_invoker_answers_the_contract(string path)
    {
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);

        using var response = await client.GetAsync(fixture.StageUrl(path), TestContext.Current.CancellationToken);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("Request processed successfully", root.GetProperty("message").GetString());
        Assert.Equal("/" + path.Split('?')[0], root.GetProperty("path").GetString());
        Assert.True(root.GetProperty("configLoaded").GetBoolean());
        var keys = root.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()).ToList();
        Assert.All(TapApplication.Secret.Keys, key => Assert.Contains(key, keys));
        Assert.Equal("arn:aws:iam::000000000000:user/invoker", root.GetProperty("caller").GetString());
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-ID")), root.GetProperty("requestId").GetString());

        foreach (var value in await SecretsManagerClients.SecretValuesAsync(fixture))
        {
            Assert.DoesNotContain(value, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_call_signed_the_moment_the_API_accepts_connections_is_served()
    {
        // The API takes no connection before the function has started, so the first call never meets a cold gap.
        Assert.Equal(HttpStatusCode.OK, await fixture.FirstSignedCall.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unsigned_request_is_forbidden()
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync(fixture.StageUrl("orders/42"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("ForbiddenException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
    }

    [Fact]
    public async Task A_request_signed_with_a_wrong_secret_key_is_forbidden()
    {
        var invoker = await fixture.InvokerCredentialsAsync();
        using var client = TapAppFixture.SignedClient(new ImmutableCredentials(invoker.AccessKey, "wrong" + invoker.SecretKey[5..], null), fixture.Region);

        using var response = await client.GetAsync(fixture.StageUrl("orders/42"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("signature we calculated does not match", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_principal_without_invoke_permission_is_forbidden()
    {
        // The function's own role: a valid signature, but its only grant is reading the configuration secret.
        using var client = TapAppFixture.SignedClient(await fixture.FunctionRoleCredentialsAsync(), fixture.Region);

        using var response = await client.GetAsync(fixture.StageUrl("orders/42"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessDeniedException", Assert.Single(response.Headers.GetValues("x-amzn-ErrorType")));
        Assert.Contains($"assumed-role/{await fixture.FunctionRoleNameAsync()}/", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}
