using System.Net;
using System.Text.Json;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>The Function as the AppHost runs it: a real process, started and health-checked by Aspire.</summary>
[Trait("Category", "Process")]
[Collection(TapAppCollectionDefinition.Name)]
public sealed class FunctionTests(TapAppFixture fixture)
{
    [Fact]
    public async Task Function_started_by_the_AppHost_answers_the_contract()
    {
        using var client = fixture.CreateFunctionClient();

        using var response = await client.GetAsync(new Uri("/orders/42?expand=items", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        Assert.Equal("Request processed successfully", root.GetProperty("message").GetString());
        Assert.Equal("GET", root.GetProperty("method").GetString());
        Assert.Equal("/orders/42", root.GetProperty("path").GetString());
        Assert.True(root.GetProperty("configLoaded").GetBoolean());
        Assert.Equal(TapApplication.Secret.Keys, root.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()!));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("caller").ValueKind);
        Assert.Equal(Assert.Single(response.Headers.GetValues("X-Request-ID")), root.GetProperty("requestId").GetString());
        var timestamp = DateTimeOffset.Parse(root.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(timestamp, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Function_health_endpoint_is_healthy_under_the_AppHost()
    {
        using var client = fixture.CreateFunctionClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
