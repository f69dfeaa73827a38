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
    public async Task A_person_sees_the_secret_rotates_it_opens_a_requests_trace_and_finds_the_APIs_and_the_functions_metrics()
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
        await page.GetByText("GET /{proxy+}", new() { Exact = true }).First.WaitForAsync();              // the gateway
        await page.GetByText("RPC Lambda/Invoke").First.WaitForAsync();                                   // its call into the function
        await page.GetByText("GET /{**proxy}").First.WaitForAsync();                                      // the Function
        await page.GetByText("RPC Secrets Manager/GetSecretValue").First.WaitForAsync();                  // its Secrets Manager call
        await page.GetByText("Secrets Manager.GetSecretValue", new() { Exact = true }).First.WaitForAsync(); // served by LocalAws
        await Assertions.Expect(page.GetByText(new Regex($"^{TapApplication.Function.Name}(-[a-z0-9]+)?$")).First).ToBeVisibleAsync();    // a replica
        await Assertions.Expect(page.GetByText(TapApplication.HttpApi.Name, new() { Exact = true }).First).ToBeVisibleAsync(); // the API's resource
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-trace.png") });

        // The Metrics page lists CloudWatch's metrics under the API's and the function's own resources.
        await page.GotoAsync(new Uri(url, $"/metrics/resource/{TapApplication.HttpApi.Name}").ToString());
        foreach (var instrument in (string[])["aws.apigateway.Count", "aws.apigateway.4xx", "aws.apigateway.5xx", "aws.apigateway.Latency", "aws.apigateway.IntegrationLatency", "aws.apigateway.DataProcessed"])
        {
            await page.GetByText(instrument, new() { Exact = true }).First.WaitForAsync();
        }

        // An instrument's chart filters by CloudWatch's dimensions (the stage has detailed metrics).
        await page.Locator("fluent-tree-item[title='aws.apigateway.Count']").ClickAsync();
        foreach (var dimension in (string[])["ApiId", "Stage", "Method"])
        {
            await page.GetByText(dimension, new() { Exact = true }).First.WaitForAsync();
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-api-metrics.png") });
        await page.GotoAsync(new Uri(url, $"/metrics/resource/{TapApplication.Function.Name}").ToString());
        foreach (var instrument in (string[])["aws.lambda.Invocations", "aws.lambda.Errors", "aws.lambda.Throttles", "aws.lambda.Duration", "aws.lambda.ConcurrentExecutions"])
        {
            await page.GetByText(instrument, new() { Exact = true }).First.WaitForAsync();
        }

        await page.Locator("fluent-tree-item[title='aws.lambda.Invocations']").ClickAsync();
        await page.GetByText("FunctionName", new() { Exact = true }).First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "dashboard-function-metrics.png") });
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
