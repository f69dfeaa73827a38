using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tap.Definition;
using Tap.LocalAws.Hosting;

namespace Tap.Integration.Tests;

/// <summary>The dashboard as a person uses it, in a real browser (Debian's chromium driven by Playwright).</summary>
[Trait("Category", "Process")]
public sealed class DashboardBrowserTests(TapAppFixture fixture)
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly float Timeout = 30_000;

    [Fact]
    public async Task A_person_sees_the_secret_rotates_it_and_opens_a_requests_trace()
    {
        Assert.SkipUnless(File.Exists(Chromium), $"Missing tool: chromium ({Chromium}); install it with `apt-get install chromium`.");
        var secret = fixture.Resource<SecretsManagerSecretResource>(TapAppFixture.SecretResourceName);
        var (url, token, _) = fixture.Dashboard;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ["--no-sandbox"], Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        page.SetDefaultTimeout(Timeout);

        // Log in with the console's login link, then open the secret's details.
        await page.GotoAsync(new Uri(url, $"/login?t={token}").ToString());
        await page.GetByText(secret.Name, new() { Exact = true }).First.ClickAsync();
        await page.GetByText(secret.Arn!).WaitForAsync();
        await page.GetByText(secret.VersionId!).WaitForAsync();
        var before = secret.VersionId!;
        await AssertNoSecretValueAsync(page);

        // Rotate it from the resource's menu; the details show the new version.
        var row = page.Locator("[role=row]").Filter(new() { HasText = secret.Name }).First;
        await row.GetByRole(AriaRole.Button).Last.ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Rotate secret" }).ClickAsync();
        await page.Locator("#interactions-input-dialog fluent-button[appearance=primary]").Filter(new() { HasText = "Rotate secret" }).ClickAsync();
        await Assertions.Expect(page.GetByText(before)).ToHaveCountAsync(0, new() { Timeout = Timeout });
        Assert.NotEqual(before, secret.VersionId);
        await page.GetByText(secret.VersionId!).WaitForAsync();
        await AssertNoSecretValueAsync(page);

        // One signed request that fetches the secret, and its trace.
        await Task.Delay(TapAppFixture.SecretCacheTtl + TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
        var traceId = await SignedRequestTraceAsync();
        await page.GotoAsync(new Uri(url, $"/traces/detail/{traceId}").ToString());
        await page.GetByText($"{TapApplication.HttpApi.Name} ANY /{{proxy+}}").First.WaitForAsync();    // the gateway
        await page.GetByText("RPC Lambda/Invoke").First.WaitForAsync();                                   // LocalAws's Lambda service
        await page.GetByText("GET /{**proxy}").First.WaitForAsync();                                      // the Function
        await page.GetByText("RPC Secrets Manager/GetSecretValue").First.WaitForAsync();                  // its Secrets Manager call
        await page.GetByText("Secrets Manager.GetSecretValue", new() { Exact = true }).First.WaitForAsync(); // served by LocalAws
        await Assertions.Expect(page.GetByText(new Regex($"^{TapApplication.Function.Name}(-[a-z0-9]+)?$")).First).ToBeVisibleAsync();    // a replica
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-trace.png") });
    }

    private async Task<string> SignedRequestTraceAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        using (var client = TapAppFixture.SignedClient(await fixture.InvokerCredentialsAsync(), fixture.Region))
        using (var response = await client.GetAsync(fixture.StageUrl($"browser/{marker}")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var telemetry = fixture.Telemetry();
        return (await telemetry.TraceThatFetchedTheSecretAsync(marker))[0].TraceId;
    }

    private async Task AssertNoSecretValueAsync(IPage page)
    {
        var content = await page.ContentAsync();
        foreach (var value in await SecretsManagerClients.SecretValuesAsync(fixture))
        {
            Assert.DoesNotContain(value, content, StringComparison.Ordinal);
        }
    }
}
