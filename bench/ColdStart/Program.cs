using System.Diagnostics;
using System.Globalization;
using Tap.Testing;

// Usage: ColdStart <rounds> <label>=<executable> <label>=<executable>
// Each round starts each build once (alternating), as Lambda would: AWS_LAMBDA_FUNCTION_NAME and AWS_LAMBDA_RUNTIME_API set, role credentials in
// the environment, one invocation queued. Measures process start → first response posted, and peak RSS.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: ColdStart <rounds> <label>=<executable> <label>=<executable>");
    return 2;
}

var rounds = int.Parse(args[0], CultureInfo.InvariantCulture);
var builds = args[1..].Select(a => a.Split('=', 2)).Select(p => (Label: p[0], Path: p[1])).ToArray();
await using var runtime = await FakeRuntimeApi.StartAsync();
await using var secrets = await FakeSecretsManagerEndpoint.StartAsync();
const string Event = """
    {"version":"2.0","routeKey":"$default","rawPath":"/prod/orders/42","rawQueryString":"","headers":{"host":"bench"},
     "requestContext":{"http":{"method":"GET","path":"/prod/orders/42","protocol":"HTTP/1.1","sourceIp":"127.0.0.1"},"stage":"prod","requestId":"bench","timeEpoch":0},
     "isBase64Encoded":false}
    """;

var results = builds.ToDictionary(b => b.Label, _ => (Ms: new List<double>(), RssMb: new List<double>()));
for (var round = 1; round <= rounds; round++)
{
    foreach (var (label, path) in builds)
    {
        var start = LambdaEnvironment.StartInfo(runtime, secrets, path);
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        var response = runtime.InvokeAsync(Event);
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var result = await response;
        var elapsed = stopwatch.Elapsed.TotalMilliseconds;
        var rss = PeakRssMb(process.Id);
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        if (result.Kind != "response")
        {
            Console.Error.WriteLine($"{label}: {result.Kind} {result.Body}");
            return 1;
        }

        results[label].Ms.Add(elapsed);
        results[label].RssMb.Add(rss);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round} {label}: {elapsed:F0} ms, peak RSS {rss:F1} MB"));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static double PeakRssMb(int pid)
{
    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

var (first, second) = (builds[0].Label, builds[1].Label);
var (m1, m2) = (Median(results[first].Ms), Median(results[second].Ms));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median: {first} {m1:F0} ms (peak RSS {Median(results[first].RssMb):F1} MB), {second} {m2:F0} ms (peak RSS {Median(results[second].RssMb):F1} MB); {second}/{first} = {m2 / m1:F1}x ({rounds} rounds)"));
return 0;
