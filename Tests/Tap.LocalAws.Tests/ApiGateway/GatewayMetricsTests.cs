using System.Net;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.Lambda;
using Tap.LocalAws.Tests.Telemetry;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// The HTTP API's and the function's metrics as an exporter receives them, each under its own resource: CloudWatch's
/// AWS/ApiGateway and AWS/Lambda metrics, exact in their counts, with the stage's and the route's dimensions.
/// </summary>
public sealed class GatewayMetricsTests : IAsyncLifetime
{
    private const string Api = "metered-api";
    private const string Function = "metered";
    private const int Burst = 10;

    private readonly ExportedMetrics _metrics = new();
    private LambdaTestHost _host = null!;
    private ScriptedFunction _function = null!;

    private Uri Url => _host.HttpApi(Api);

    private static string ApiId => LocalAwsHttpApiSettings.DefaultApiId(Api);

    public async ValueTask InitializeAsync()
    {
        _host = LambdaTestHost.Start(new LocalAwsSettings
        {
            Functions = [LambdaTestHost.Function(Function, timeout: 1)],
            HttpApis =
            [
                new LocalAwsHttpApiSettings(Api, [new LocalAwsRouteSettings("ANY /{proxy+}", Function) { AuthorizationType = "AWS_IAM" }])
                {
                    Url = "http://127.0.0.1:0",
                    Stage = "prod",
                    DetailedMetricsEnabled = true,
                    // Slow enough that no token comes back during the test's burst.
                    Throttle = new LocalAwsThrottleSettings(0.01, Burst),
                },
            ],
        }, _metrics.Register);
        _metrics.Attach(_host);
        _function = new ScriptedFunction(_host, Function, environments: 1, GatewayFixture.Echo);
        await FunctionHealth.WaitForAsync(_host.Endpoint, Function, "Idle", environments: 1);
    }

    public async ValueTask DisposeAsync()
    {
        await _function.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Count_4xx_5xx_Invocations_Errors_and_Throttles_equal_what_was_sent()
    {
        const int signed = 4, unsigned = 3, failing = 1, burst = 12;
        using var invoker = GatewayFixture.Client(Url, TestPrincipals.Invoker);
        using var anonymous = GatewayFixture.Client(Url, credentials: null);

        for (var i = 0; i < signed; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(invoker, $"/prod/orders/{i}"));
        }

        for (var i = 0; i < unsigned; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(anonymous, $"/prod/orders/{i}"));
        }

        Assert.Equal(HttpStatusCode.InternalServerError, await StatusAsync(invoker, "/prod/orders/fail"));

        // The bucket holds two more tokens: of the burst, two are served and the rest throttled.
        var statuses = await Task.WhenAll(Enumerable.Range(0, burst).Select(i => StatusAsync(invoker, $"/prod/burst/{i}")));
        Assert.All(statuses, s => Assert.Contains(s, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]));
        var served = statuses.Count(s => s == HttpStatusCode.OK);
        var throttled = statuses.Count(s => s == HttpStatusCode.TooManyRequests);
        Assert.Equal(Burst - signed - unsigned - failing, served);

        await FlushOnceCountedAsync(signed + unsigned + failing + burst);
        var stage = new[] { ("ApiId", ApiId), ("Stage", "prod") };
        Assert.Equal(signed + unsigned + failing + burst, _metrics.Sum(Api, "aws.apigateway.Count", stage));
        Assert.Equal(unsigned + throttled, _metrics.Sum(Api, "aws.apigateway.4xx", stage));
        Assert.Equal(failing, _metrics.Sum(Api, "aws.apigateway.5xx", stage));
        Assert.Equal(signed + failing + served, _metrics.Sum(Function, "aws.lambda.Invocations", ("FunctionName", Function)));
        Assert.Equal(failing, _metrics.Sum(Function, "aws.lambda.Errors", ("FunctionName", Function)));
        Assert.Equal(0, _metrics.Sum(Function, "aws.lambda.Throttles", ("FunctionName", Function)));
        Assert.Equal(0, _metrics.Sum(Function, "aws.lambda.ConcurrentExecutions", ("FunctionName", Function)));
        Assert.Equal(signed + failing + served, _metrics.Histogram(Function, "aws.lambda.Duration").Count);

        // Detailed metrics: what reached a route carries it; a throttled request never did.
        var route = stage.Append(("Method", "ANY")).Append(("Resource", "/{proxy+}")).ToArray();
        Assert.Equal(signed + unsigned + failing + served, _metrics.Sum(Api, "aws.apigateway.Count", route));
        Assert.Equal(signed + failing + served, _metrics.Histogram(Api, "aws.apigateway.IntegrationLatency", route).Count);
        Assert.Equal(signed + unsigned + failing + burst, _metrics.Histogram(Api, "aws.apigateway.Latency", stage).Count);
        Assert.True(_metrics.Sum(Api, "aws.apigateway.DataProcessed", stage) > 0);

        // Each resource's metrics were exported under its own name, and nothing under another.
        Assert.Equal([Function, Api], _metrics.Resources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task For_one_request_Latency_covers_IntegrationLatency_which_covers_the_functions_Duration()
    {
        using var invoker = GatewayFixture.Client(Url, TestPrincipals.Invoker);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(invoker, "/prod/warm-up"));
        await FlushOnceCountedAsync(1);
        var before = (Latency: _metrics.Histogram(Api, "aws.apigateway.Latency").Sum,
            Integration: _metrics.Histogram(Api, "aws.apigateway.IntegrationLatency").Sum,
            Duration: _metrics.Histogram(Function, "aws.lambda.Duration").Sum);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(invoker, "/prod/orders/7"));
        await FlushOnceCountedAsync(2);

        var latency = _metrics.Histogram(Api, "aws.apigateway.Latency").Sum - before.Latency;
        var integration = _metrics.Histogram(Api, "aws.apigateway.IntegrationLatency").Sum - before.Integration;
        var duration = _metrics.Histogram(Function, "aws.lambda.Duration").Sum - before.Duration;
        Assert.True(duration > 0, $"Duration {duration} ms");
        Assert.True(latency >= integration && integration >= duration, $"Latency {latency} ms, IntegrationLatency {integration} ms, Duration {duration} ms");
    }

    /// <summary>
    /// Exports both resources' metrics once the API has recorded <paramref name="requests"/>: the gateway records a
    /// request's metrics just after its answer has gone out, so the client may read it first. Latency is the last
    /// measurement of a request, but an export collects its instruments one by one, so once it shows every request's
    /// Latency one more export holds all of their other measurements.
    /// </summary>
    private async Task FlushOnceCountedAsync(long requests)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(20))
        {
            Flush();
            var recorded = _metrics.Histogram(Api, "aws.apigateway.Latency").Count;
            Assert.True(recorded <= requests, $"{recorded} requests recorded, {requests} sent");
            if (recorded == requests)
            {
                Flush();
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {recorded} of {requests} requests recorded after 10 s");
        }
    }

    private void Flush()
    {
        _metrics.Flush(Api);
        _metrics.Flush(Function, isFunction: true);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
