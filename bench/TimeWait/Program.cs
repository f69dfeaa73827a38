using System.Globalization;
using System.Text;
using Tap.Bench;
using Tap.Testing;

// Usage: TimeWait <localaws.dll> <runtime script> [calls] [TIME_WAIT sockets]
// One execution environment: AWS's shell-and-curl tutorial runtime, a new connection (and a new curl) per Runtime API
// call. Sequential signed Invoke calls on a quiet machine, then after closing that many loopback connections
// client-first (each leaves a TIME_WAIT socket for 60 s), and the ratio of the p50s. Loopback only.
if (args.Length is < 2 or > 4)
{
    Console.Error.WriteLine("usage: TimeWait <localaws.dll> <runtime script> [calls] [TIME_WAIT sockets]");
    return 2;
}

var calls = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var sockets = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 9000;
await using var localAws = await LocalAwsServer.StartAsync(args[0]);
await localAws.StartEnvironmentAsync("bash", [args[1]]);
using var lambda = LocalAwsServer.SignedClient(localAws.Endpoint, localAws.Admin, "lambda");

async Task<List<double>> LatenciesAsync(int count)
{
    var latencies = new List<double>(count);
    for (var n = 0; n < count; n++)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var content = new StringContent($$"""{"n":{{n}}}""", Encoding.UTF8);
        using var response = await lambda.PostAsync(new Uri($"/2015-03-31/functions/{LocalAwsServer.FunctionName}/invocations", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
        latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    return latencies;
}

await LatenciesAsync(20); // the environment's first poll, JIT, connections
var quietRows = TimeWaitSockets.CountListed();
var quiet = await LatenciesAsync(calls);
var loadedRows = await TimeWaitSockets.CreateAsync(sockets);
var loaded = await LatenciesAsync(calls);

string Line(string label, int rows, List<double> latencies) => string.Create(CultureInfo.InvariantCulture,
    $"{label} ({rows,5} TIME_WAIT): p50 {Measure.Median(latencies),6:0.0} ms  p99 {Measure.Percentile(latencies, 0.99),6:0.0} ms  ({calls} calls)");
Console.WriteLine(Line("quiet ", quietRows, quiet));
Console.WriteLine(Line("loaded", loadedRows, loaded));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 ratio loaded/quiet: {Measure.Median(loaded) / Measure.Median(quiet):0.00}"));
return 0;
