using System.Net;

namespace Tap.Integration.Tests;

/// <summary>
/// The function's Runtime API under the AppHost admits the processes the AppHost started for it (it registers each
/// with LocalAws) and no other: a process on the same machine that polls it takes no caller's event and is refused.
/// </summary>
[Trait("Category", "Process")]
public sealed class RuntimeApiAccessTests(TapAppFixture fixture)
{
    [Fact]
    public async Task A_process_the_AppHost_did_not_start_takes_no_event_and_is_refused()
    {
        var runtimeApi = new Uri($"{fixture.LocalAws.RuntimeApiEndpoint.Url}/{fixture.FunctionName}/2018-06-01/runtime/invocation/next");
        using var stranger = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var poll = stranger.GetAsync(runtimeApi, TestContext.Current.CancellationToken);

        // While the stranger waits, signed callers are served by the function's own environments.
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);
        for (var n = 0; n < 5; n++)
        {
            using var response = await client.GetAsync(fixture.StageUrl($"orders/{n}"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var refused = await poll;
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"errorType\":\"AccessDeniedException\"", body, StringComparison.Ordinal);
        Assert.False(refused.Headers.Contains("Lambda-Runtime-Aws-Request-Id"));
    }
}
