using System.Net;
using Tap.Definition;

namespace Tap.Integration.Tests;

/// <summary>The stage's token bucket (50 requests/s, bursts of 100) in front of the Function.</summary>
[Trait("Category", "Process")]
public sealed class ThrottlingTests(TapAppFixture fixture)
{
    [Fact]
    public async Task A_burst_of_150_signed_requests_gets_only_200s_and_429s()
    {
        using var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region);

        var requests = Enumerable.Range(0, 150).Select(async i =>
        {
            using var response = await client.GetAsync(fixture.StageUrl($"burst/{i}"));
            return response.StatusCode;
        }).ToList();
        var statuses = await Task.WhenAll(requests);

        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        var throttled = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.Equal(150, ok + throttled);
        Assert.True(throttled >= 1, "no request was throttled");
        Assert.True(ok >= 1, "every request was throttled");

        // Let the bucket refill (100 tokens at 50/s) so no other test is throttled.
        await Task.Delay(TimeSpan.FromSeconds(TapApplication.HttpApi.Throttle.BurstLimit / TapApplication.HttpApi.Throttle.RateLimit + 1), TestContext.Current.CancellationToken);
    }
}
