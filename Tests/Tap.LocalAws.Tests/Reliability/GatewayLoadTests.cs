using System.Globalization;
using System.Net;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.ApiGateway;
using Tap.LocalAws.Tests.Lambda;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Reliability;

/// <summary>
/// LocalAws as its own process under load through an HTTP API: signed requests at concurrency 64, queued for one
/// execution environment (this test process: LocalAws knows environments by process). CI runs a short smoke; <c>bench/load.sh</c> runs it at full size (<c>TAP_LOAD_REQUESTS</c>).
/// </summary>
[Trait("Category", "Process")]
public sealed class GatewayLoadTests
{
    private const int Concurrency = 64;
    private const string Function = "load";
    private static readonly int Requests = int.Parse(Environment.GetEnvironmentVariable("TAP_LOAD_REQUESTS") ?? "3000", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_signed_request_succeeds_without_throttling_and_LocalAws_holds_its_descriptors_and_memory()
    {
        await using var load = await LoadedLocalAws.StartAsync(throttle: null);

        // Warm up as long as the run itself (JIT tiers and GC budgets grow the process at first, then it levels off:
        // 40,000 requests measured flat from halfway), then sample LocalAws's open descriptors and resident memory
        // halfway and at the end. One client throughout: its connections stay open, so a descriptor more is one
        // LocalAws kept.
        using var client = GatewayFixture.Client(load.Api, TestPrincipals.Admin);
        var idle = load.LocalAws.Resources();
        await SendAsync(client, Requests);
        var first = await SendAsync(client, Requests / 2);
        var halfway = load.LocalAws.Resources();
        var second = await SendAsync(client, Requests - (Requests / 2));
        var end = load.LocalAws.Resources();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"LocalAws resident memory: idle {Megabytes(idle.ResidentBytes)} MB, halfway {Megabytes(halfway.ResidentBytes)} MB, end {Megabytes(end.ResidentBytes)} MB ({(double)end.ResidentBytes / halfway.ResidentBytes:0.00}x halfway); open descriptors {halfway.Descriptors} -> {end.Descriptors}"));

        Assert.Equal(Requests, first.Concat(second).Count(s => s == HttpStatusCode.OK));
        Assert.True(end.Descriptors <= (halfway.Descriptors * 1.1) + 4, $"open descriptors: {halfway.Descriptors} halfway, {end.Descriptors} at the end");
        Assert.True(end.ResidentBytes <= halfway.ResidentBytes * 1.1, $"resident memory: {halfway.ResidentBytes} bytes halfway, {end.ResidentBytes} at the end");
    }

    [Fact]
    public async Task With_the_stages_throttle_every_request_is_answered_200_or_429_and_none_fails()
    {
        await using var load = await LoadedLocalAws.StartAsync(throttle: new LocalAwsThrottleSettings(50, 100));
        var count = Math.Min(Requests, 1000);

        using var client = GatewayFixture.Client(load.Api, TestPrincipals.Admin);
        var statuses = await SendAsync(client, count);

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"got {(int)s}"));
        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.Equal(count, ok + statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.InRange(ok, 100, count - 1);   // at least the burst; at least one throttled
    }

    private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static async Task<List<HttpStatusCode>> SendAsync(HttpClient client, int count)
    {
        var next = -1;
        var statuses = new HttpStatusCode[count];
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                using var response = await client.GetAsync(new Uri($"prod/items/{i}", UriKind.Relative));
                statuses[i] = response.StatusCode;
            }
        }));
        return [.. statuses];
    }

    /// <summary>LocalAws's process with one function (an in-test environment answering 200) behind one signed HTTP API.</summary>
    private sealed class LoadedLocalAws : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private RuntimeApiClient? _environment;
        private Task _loop = Task.CompletedTask;

        private LoadedLocalAws(LocalAwsProcess localAws, Uri api)
        {
            LocalAws = localAws;
            Api = api;
        }

        public LocalAwsProcess LocalAws { get; }

        public Uri Api { get; }

        public static async Task<LoadedLocalAws> StartAsync(LocalAwsThrottleSettings? throttle)
        {
            var api = new Uri($"http://127.0.0.1:{TcpPorts.Free()}/");
            var settings = new LocalAwsSettings
            {
                Functions = [LambdaTestHost.Function(Function, timeout: 10)],
                HttpApis =
                [
                    new LocalAwsHttpApiSettings("load-api", [new LocalAwsRouteSettings("ANY /{proxy+}", Function) { AuthorizationType = "AWS_IAM" }])
                    {
                        Url = api.ToString().TrimEnd('/'),
                        Stage = "prod",
                        Throttle = throttle,
                    },
                ],
            };
            var load = new LoadedLocalAws(TestLocalAws.Process(settings: settings.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value)), api);
            try
            {
                var localAws = load.LocalAws;
                await localAws.StartAsync();
                await localAws.RegisterEnvironmentAsync(Function, Environment.ProcessId, TestContext.Current.CancellationToken);
                load._environment = new RuntimeApiClient($"{localAws.Endpoint.Host}:{localAws.Endpoint.Port}/{Function}");
                load._loop = Task.Run(() => load.ServeAsync(load._environment));
                await FunctionHealth.WaitForAsync(localAws.Endpoint, Function, "Idle", environments: 1, diagnostics: () => localAws.Output);
                return load;
            }
            catch
            {
                // A start that fails must not leave LocalAws's process running.
                await load.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _environment?.Dispose();
            await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
            await LocalAws.DisposeAsync();
            _stop.Dispose();
        }

        private async Task ServeAsync(RuntimeApiClient environment)
        {
            while (!_stop.IsCancellationRequested)
            {
                var @event = await environment.NextAsync(_stop.Token);
                await environment.RespondAsync(@event.RequestId, """{"statusCode":200,"body":"ok"}""");
            }
        }
    }
}
