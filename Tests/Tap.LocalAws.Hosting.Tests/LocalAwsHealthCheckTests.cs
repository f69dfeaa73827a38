using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Tap.Tests.Shared;

namespace Tap.LocalAws.Hosting.Tests;

public sealed class LocalAwsHealthCheckTests
{
    [Fact]
    public async Task It_is_healthy_the_moment_health_answers_while_localaws_starts()
    {
        var answers = new Queue<Func<HttpResponseMessage>>([Refused, Refused, () => new HttpResponseMessage(HttpStatusCode.OK)]);
        var (check, time, requests) = Create(answers);

        var result = await RunAsync(check, time, TimeSpan.FromMilliseconds(50));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(["http://localhost:4566/health"], requests.Distinct());
        Assert.Equal(3, requests.Count);
    }

    [Fact]
    public async Task An_error_status_is_unhealthy_at_once()
    {
        var (check, time, requests) = Create(new([() => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)]));

        var result = await RunAsync(check, time, TimeSpan.FromMilliseconds(50));

        Assert.Equal((HealthStatus.Unhealthy, 1), (result.Status, requests.Count));
        Assert.Contains("503", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_past_its_patience_is_unhealthy()
    {
        var (check, time, _) = Create(new(Enumerable.Repeat<Func<HttpResponseMessage>>(Refused, 1000)));

        var result = await RunAsync(check, time, TimeSpan.FromMilliseconds(50));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("LocalAws cannot be reached.", result.Description);
        Assert.True(time.GetUtcNow() - FakeStart >= LocalAwsHealthCheck.StartingPatience);
    }

    private static readonly DateTimeOffset FakeStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage Refused() => throw new HttpRequestException("Connection refused");

    private static (LocalAwsHealthCheck Check, FakeTimeProvider Time, List<string> Requests) Create(Queue<Func<HttpResponseMessage>> answers)
    {
        var (builder, localAws) = LocalAwsModel.Create();
        builder.AllocateEndpoints(_ => 4566);
        var requests = new List<string>();
        var time = new FakeTimeProvider(FakeStart);
        var client = new HttpClient(new AnsweringHandler(request =>
        {
            requests.Add(request.RequestUri!.ToString());
            return answers.Dequeue()();
        }));
        return (new LocalAwsHealthCheck(localAws.Resource, new OneClientFactory(client), time), time, requests);
    }

    /// <summary>Runs the check, moving the fake clock on while it waits between tries.</summary>
    private static async Task<HealthCheckResult> RunAsync(LocalAwsHealthCheck check, FakeTimeProvider time, TimeSpan step)
    {
        var running = check.CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
        while (!running.IsCompleted)
        {
            await Task.Yield();
            time.Advance(step);
        }

        return await running;
    }

    private sealed class AnsweringHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }

    private sealed class OneClientFactory(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}
