using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Tap.Bench;

// Usage: ColdStart <localaws.dll> <rounds> <label>=<executable> <label>=<executable> [<label>=<executable> ...]
// Each round starts each build once (in turn), as Lambda does: a signed Invoke waits in LocalAws, the process starts
// with Lambda's environment (AWS_LAMBDA_RUNTIME_API at LocalAws, the role's credentials from LocalAws's container
// credentials endpoint), and the clock stops when the Invoke answers. Also its peak RSS. The first build is the
// one every other is compared with.
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: ColdStart <localaws.dll> <rounds> <label>=<executable> <label>=<executable> [...]");
    return 2;
}

var rounds = int.Parse(args[1], CultureInfo.InvariantCulture);
var builds = args[2..].Select(a => a.Split('=', 2)).Select(p => (Label: p[0], Path: Path.GetFullPath(p[1]))).ToArray();
await using var localAws = await LocalAwsServer.StartAsync(args[0]);
using var lambda = LocalAwsServer.SignedClient(localAws.Endpoint, localAws.Admin, "lambda");
const string Event = """
    {"version":"2.0","routeKey":"ANY /{proxy+}","rawPath":"/prod/orders/42","rawQueryString":"","headers":{"host":"bench"},
     "requestContext":{"http":{"method":"GET","path":"/prod/orders/42","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"stage":"prod","requestId":"bench","timeEpoch":0},
     "isBase64Encoded":false}
    """;

var results = builds.ToDictionary(b => b.Label, _ => (Ms: new List<double>(), RssMb: new List<double>()));
for (var round = 1; round <= rounds; round++)
{
    foreach (var (label, path) in builds)
    {
        using var content = new StringContent(Event, Encoding.UTF8, "application/json");
        var invoke = lambda.PostAsync(new Uri($"/2015-03-31/functions/{LocalAwsServer.FunctionName}/invocations", UriKind.Relative), content);
        var stopwatch = Stopwatch.StartNew();
        var process = await localAws.StartEnvironmentAsync(path, []);
        using var response = await invoke;
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        var rss = PeakRssMb(process.Id);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        var payload = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || response.Headers.Contains("X-Amz-Function-Error") || !payload.Contains("\"statusCode\":200", StringComparison.Ordinal))
        {
            Console.Error.WriteLine($"{label}: {(int)response.StatusCode} {payload}");
            return 1;
        }

        results[label].Ms.Add(elapsed);
        results[label].RssMb.Add(rss);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {label}: {elapsed:F0} ms, peak RSS {rss:F1} MB"));

        // The next build's invocation must not wait for LocalAws to notice this process is gone.
        await WaitForNoEnvironmentAsync(localAws.Endpoint);
    }
}

var (baseline, baselineMs) = (builds[0].Label, Measure.Median(results[builds[0].Label].Ms));
foreach (var (label, _) in builds)
{
    var ms = Measure.Median(results[label].Ms);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"median {label}: {ms:F0} ms, peak RSS {Measure.Median(results[label].RssMb):F1} MB; {label}/{baseline} = {ms / baselineMs:F2}x ({rounds} rounds)"));
}

return 0;

static double PeakRssMb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static async Task WaitForNoEnvironmentAsync(Uri localAws)
{
    // The function's health lists its environments (and answers 503 when it has none).
    using var http = new HttpClient();
    var health = new Uri(localAws, $"/health/functions/{LocalAwsServer.FunctionName}");
    for (var attempt = 0; attempt < 100; attempt++)
    {
        using var response = await http.GetAsync(health).ConfigureAwait(false);
        if (!(await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Contains("\"processId\"", StringComparison.Ordinal))
        {
            return;
        }

        await Task.Delay(50).ConfigureAwait(false);
    }
}
