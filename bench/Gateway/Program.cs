using System.Globalization;
using Tap.Bench;
using Tap.Testing;

// Usage: Gateway <localaws.dll> <function: Tap.Function.dll or a Native AOT bootstrap> <rounds> <seconds per round> <concurrency> <environments>
// Two LocalAws processes with the definition's HTTP API (throttling off for the run), each exporting its telemetry
// over OTLP every second as under Aspire, to a sink in this process: one with metrics on, one with
// OTEL_METRICS_EXPORTER=none. The same Function build runs in Lambda mode behind each gateway (<environments>
// processes each, one invocation at a time, as Lambda's execution environments do) and as one process under Kestrel.
// Rounds rotate the three paths; each measures one caller and <concurrency> callers: p50, p99, requests/s and this
// process's CPU share. First, Secrets Manager reads per 1,000 warm requests.
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: Gateway <localaws.dll> <Tap.Function.dll | bootstrap> <rounds> <seconds per round> <concurrency> <environments>");
    return 2;
}

var (localAwsDll, function, rounds, seconds, concurrency, environments) =
    (args[0], Path.GetFullPath(args[1]), Int(args[2]), Int(args[3]), Int(args[4]), Int(args[5]));
var (gateway, unmetered, kestrel) = (new Uri($"http://127.0.0.1:{TcpPorts.Free()}"), new Uri($"http://127.0.0.1:{TcpPorts.Free()}"), new Uri($"http://127.0.0.1:{TcpPorts.Free()}"));
using var metricsSink = OtlpSink.Start();
using var quietSink = OtlpSink.Start();
await using var localAws = await LocalAwsServer.StartAsync(localAwsDll, gateway, environment: metricsSink.Environment(metrics: true));
await using var quietAws = await LocalAwsServer.StartAsync(localAwsDll, unmetered, environment: quietSink.Environment(metrics: false));
var (program, programArgs) = function.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", new[] { function }) : (function, []);
for (var i = 0; i < environments; i++)
{
    await localAws.StartEnvironmentAsync(program, programArgs);
    await quietAws.StartEnvironmentAsync(program, programArgs);
}

localAws.Start(program, programArgs, new(localAws.FunctionEnvironment()) { ["ASPNETCORE_URLS"] = kestrel.ToString() });
await Measure.WaitHealthyAsync(new Uri(localAws.Endpoint, $"/health/functions/{LocalAwsServer.FunctionName}"), "the function in Lambda mode");
await Measure.WaitHealthyAsync(new Uri(quietAws.Endpoint, $"/health/functions/{LocalAwsServer.FunctionName}"), "the function in Lambda mode, metrics off");
await Measure.WaitHealthyAsync(new Uri(kestrel, "/orders/1"), "the function under Kestrel");

using var signed = LocalAwsServer.SignedClient(gateway, localAws.Invoker);
using var signedQuiet = LocalAwsServer.SignedClient(unmetered, quietAws.Invoker);
using var direct = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = kestrel };
async Task ViaGateway() => (await signed.GetAsync(new Uri("/prod/orders/42", UriKind.Relative))).EnsureSuccessStatusCode().Dispose();
async Task ViaUnmeteredGateway() => (await signedQuiet.GetAsync(new Uri("/prod/orders/42", UriKind.Relative))).EnsureSuccessStatusCode().Dispose();
async Task Direct() => (await direct.GetAsync(new Uri("/orders/42", UriKind.Relative))).EnsureSuccessStatusCode().Dispose();

// Warm every path (JIT tiers, connections, the secret cache) with a discarded round of each.
await Measure.RateAsync(ViaGateway, seconds, concurrency);
await Measure.RateAsync(ViaUnmeteredGateway, seconds, concurrency);
await Measure.RateAsync(Direct, seconds, concurrency);

// Secrets Manager calls per 1,000 warm requests: the Function caches its secret for 5 minutes, so none are expected.
var callsBefore = localAws.SecretReads;
await Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
{
    for (var i = worker; i < 1000; i += 16)
    {
        await ViaGateway();
    }
}));
await Task.Delay(500);
Console.WriteLine($"GetSecretValue calls per 1,000 warm requests via the gateway: {localAws.SecretReads - callsBefore} ({callsBefore} while starting and warming up: one per Function process)");

var callers = new[] { 1, concurrency };
var results = new Dictionary<(string Path, int Callers), List<Measure.Load>>();
for (var round = 1; round <= rounds; round++)
{
    // Rotate which path goes first, so drift on a shared machine favours none.
    var paths = new[] { ("gateway", (Func<Task>)ViaGateway), ("no-metrics", ViaUnmeteredGateway), ("direct", Direct) };
    var order = paths.Skip(round % paths.Length).Concat(paths.Take(round % paths.Length));
    foreach (var (name, call) in order)
    {
        foreach (var n in callers)
        {
            var load = await Measure.LoadAsync(call, seconds, n);
            (results.TryGetValue((name, n), out var list) ? list : results[(name, n)] = []).Add(load);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round} {name,-10} {n,2} caller(s): p50 {Measure.Median(load.Latencies):0.000} ms, p99 {Measure.Percentile(load.Latencies, 0.99):0.000} ms, {load.Rate:0} req/s, load generator {load.CpuShare:P0} of a core"));
        }
    }
}

double Med(List<Measure.Load> loads, Func<Measure.Load, double> pick) => Measure.Median(loads.Select(pick).ToList());
foreach (var n in callers)
{
    var (g, q, d) = (results[("gateway", n)], results[("no-metrics", n)], results[("direct", n)]);
    var (gP50, qP50, dP50) = (Med(g, l => Measure.Median(l.Latencies)), Med(q, l => Measure.Median(l.Latencies)), Med(d, l => Measure.Median(l.Latencies)));
    var (gRate, qRate, dRate) = (Med(g, l => l.Rate), Med(q, l => l.Rate), Med(d, l => l.Rate));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        median, {n} caller(s), {environments} execution environment(s): p50 signed via gateway {gP50:0.000} ms vs direct Kestrel {dP50:0.000} ms: +{gP50 - dP50:0.000} ms ({gP50 / dP50:0.00}x); p99 {Med(g, l => Measure.Percentile(l.Latencies, 0.99)):0.000} vs {Med(d, l => Measure.Percentile(l.Latencies, 0.99)):0.000} ms; {gRate:0} vs {dRate:0} req/s ({gRate / dRate:0.00}x); load generator {Med(g, l => l.CpuShare):P0} / {Med(d, l => l.CpuShare):P0} of a core
        median, {n} caller(s), metrics on vs off: p50 {gP50:0.000} vs {qP50:0.000} ms ({(gP50 / qP50) - 1:+0.0%;-0.0%}); {gRate:0} vs {qRate:0} req/s ({(gRate / qRate) - 1:+0.0%;-0.0%})
        """));
}

Console.WriteLine($"OTLP sink, metrics on: {metricsSink.Describe()}; metrics off: {quietSink.Describe()}");

return 0;

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
