using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Tap.Aws.Signing;
using Tap.Bench;
using Tap.Definition;
using Tap.LocalAws.Configuration;
using Tap.Testing;

// Usage: Gateway <localaws.dll> <function: Tap.Function.dll or a Native AOT bootstrap> <rounds> <seconds per round> <concurrency> <environments>
// One LocalAws with the definition's HTTP API (throttling off for the run) and the same Function build both ways: in
// Lambda mode behind the gateway (<environments> processes, each running one invocation at a time, as Lambda's
// execution environments do) and one process under Kestrel. Rounds alternate the two paths; each measures one caller
// and <concurrency> callers: p50, p99, requests/s and this process's CPU share. First, Secrets Manager reads per
// 1,000 warm requests.
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: Gateway <localaws.dll> <Tap.Function.dll | bootstrap> <rounds> <seconds per round> <concurrency> <environments>");
    return 2;
}

var (localAwsDll, function, rounds, seconds, concurrency, environments) =
    (args[0], Path.GetFullPath(args[1]), Int(args[2]), Int(args[3]), Int(args[4]), Int(args[5]));
var (admin, invoker) = (TestCredentials.New(), TestCredentials.New());
var roleToken = Guid.NewGuid().ToString("N");
var (localAwsPort, gatewayPort, kestrelPort) = (Measure.FreePort(), Measure.FreePort(), Measure.FreePort());
var localAws = new Uri($"http://127.0.0.1:{localAwsPort}");
var (gateway, kestrel) = (new Uri($"http://127.0.0.1:{gatewayPort}"), new Uri($"http://127.0.0.1:{kestrelPort}"));
var functionName = TapApplication.Function.Name;
var roleArn = $"arn:aws:iam::000000000000:role/{TapApplication.FunctionRole.Name}";
var settings = new LocalAwsSettings
{
    Principals =
    [
        new("admin", "arn:aws:iam::000000000000:user/admin")
        {
            AccessKeyId = admin.AccessKey,
            SecretAccessKey = admin.SecretKey,
            Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""],
        },
        new("invoker", "arn:aws:iam::000000000000:user/invoker")
        {
            AccessKeyId = invoker.AccessKey,
            SecretAccessKey = invoker.SecretKey,
            Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:000000000000:*/prod/*/*"}]}"""],
        },
        new(TapApplication.FunctionRole.Name, roleArn)
        {
            ContainerCredentialsToken = roleToken,
            MaxSessionDuration = 43200,
            Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}"""],
        },
    ],
    Functions = [new(functionName, roleArn) { Timeout = 30, MemorySize = TapApplication.Function.MemorySize }],
    HttpApis =
    [
        new(TapApplication.HttpApi.Name, [.. TapApplication.HttpApi.Routes.Select(r => new LocalAwsRouteSettings(r.RouteKey, r.Function) { AuthorizationType = r.AuthorizationType })])
        {
            Url = gateway.ToString(),
            Stage = TapApplication.HttpApi.Stage,
            AccessLogFormat = TapApplication.HttpApi.AccessLogFormat,
        },
    ],
};
var config = Path.Combine(Path.GetTempPath(), $"localaws-gateway-bench-{Guid.NewGuid():N}.json");
var file = new JsonObject();
foreach (var (key, value) in settings.ToConfiguration())
{
    file[key] = value;
}

await File.WriteAllTextAsync(config, file.ToJsonString());
var processes = new List<Process>();
var secretReads = 0;
try
{
    // Info-level logs (an access log line per request, a log line per function request) would be measured too.
    // LocalAws logs one line per AWS API call in its Tap.LocalAws.Api category (not per gateway request): that
    // category alone stays at Information, so Secrets Manager reads can be counted.
    processes.Add(Start("dotnet", [localAwsDll, "--urls", localAws.ToString(), "--config", config],
        new() { ["Logging__LogLevel__Default"] = "Warning", ["Logging__LogLevel__Tap.LocalAws.Api"] = "Information" },
        line => { if (line.Contains("Secrets Manager.GetSecretValue by", StringComparison.Ordinal)) { Interlocked.Increment(ref secretReads); } }));
    await Measure.WaitHealthyAsync(new Uri(localAws, "/health"), "LocalAws");
    await CreateSecretAsync(localAws, admin);

    var functionEnvironment = new Dictionary<string, string>
    {
        ["AWS_REGION"] = "us-east-1",
        ["SECRET_ID"] = TapApplication.Secret.Name,
        ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = localAws.ToString(),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = new Uri(localAws, $"/_localaws/container-credentials/{TapApplication.FunctionRole.Name}").ToString(),
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = roleToken,
        ["Logging__LogLevel__Default"] = "Warning",
    };
    var (program, programArgs) = function.EndsWith(".dll", StringComparison.Ordinal) ? ("dotnet", new[] { function }) : (function, []);
    for (var i = 0; i < environments; i++)
    {
        processes.Add(Start(program, programArgs, new(functionEnvironment)
        {
            ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
            ["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{localAwsPort}/{functionName}",
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = TapApplication.Function.MemorySize.ToString(CultureInfo.InvariantCulture),
        }));
    }

    processes.Add(Start(program, programArgs, new(functionEnvironment) { ["ASPNETCORE_URLS"] = kestrel.ToString() }));
    await Measure.WaitHealthyAsync(new Uri(localAws, $"/health/functions/{functionName}"), "the function in Lambda mode");
    await Measure.WaitHealthyAsync(new Uri(kestrel, "/orders/1"), "the function under Kestrel");

    using var signed = SignedClient(gateway, invoker);
    using var direct = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = kestrel };
    async Task ViaGateway() => (await signed.GetAsync(new Uri("/prod/orders/42", UriKind.Relative))).EnsureSuccessStatusCode().Dispose();
    async Task Direct() => (await direct.GetAsync(new Uri("/orders/42", UriKind.Relative))).EnsureSuccessStatusCode().Dispose();

    // Warm both paths (JIT tiers, connections, the secret cache) with a discarded round of each.
    await Measure.RateAsync(ViaGateway, seconds, concurrency);
    await Measure.RateAsync(Direct, seconds, concurrency);

    // Secrets Manager calls per 1,000 warm requests: the Function caches its secret for 5 minutes, so none are expected.
    var callsBefore = Volatile.Read(ref secretReads);
    await Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
    {
        for (var i = worker; i < 1000; i += 16)
        {
            await ViaGateway();
        }
    }));
    await Task.Delay(500);
    Console.WriteLine($"GetSecretValue calls per 1,000 warm requests via the gateway: {Volatile.Read(ref secretReads) - callsBefore} ({callsBefore} while starting and warming up: one per Function process)");

    var callers = new[] { 1, concurrency };
    var results = new Dictionary<(string Path, int Callers), List<Measure.Load>>();
    for (var round = 1; round <= rounds; round++)
    {
        // Alternate which path goes first, so drift on a shared machine favours neither.
        var order = round % 2 == 1 ? new[] { ("gateway", (Func<Task>)ViaGateway), ("direct", Direct) } : [("direct", Direct), ("gateway", ViaGateway)];
        foreach (var (name, call) in order)
        {
            foreach (var n in callers)
            {
                var load = await Measure.LoadAsync(call, seconds, n);
                (results.TryGetValue((name, n), out var list) ? list : results[(name, n)] = []).Add(load);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round} {name,-7} {n,2} caller(s): p50 {Measure.Median(load.Latencies):0.000} ms, p99 {Measure.Percentile(load.Latencies, 0.99):0.000} ms, {load.Rate:0} req/s, load generator {load.CpuShare:P0} of a core"));
            }
        }
    }

    foreach (var n in callers)
    {
        var (g, d) = (results[("gateway", n)], results[("direct", n)]);
        double Med(List<Measure.Load> loads, Func<Measure.Load, double> pick) => Measure.Median(loads.Select(pick).ToList());
        var (gP50, dP50) = (Med(g, l => Measure.Median(l.Latencies)), Med(d, l => Measure.Median(l.Latencies)));
        var (gRate, dRate) = (Med(g, l => l.Rate), Med(d, l => l.Rate));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            median, {n} caller(s), {environments} execution environment(s): p50 signed via gateway {gP50:0.000} ms vs direct Kestrel {dP50:0.000} ms: +{gP50 - dP50:0.000} ms ({gP50 / dP50:0.00}x); p99 {Med(g, l => Measure.Percentile(l.Latencies, 0.99)):0.000} vs {Med(d, l => Measure.Percentile(l.Latencies, 0.99)):0.000} ms; {gRate:0} vs {dRate:0} req/s ({gRate / dRate:0.00}x); load generator {Med(g, l => l.CpuShare):P0} / {Med(d, l => l.CpuShare):P0} of a core
            """));
    }

    return 0;
}
finally
{
    foreach (var process in processes)
    {
        process.Kill(entireProcessTree: true);
        process.Dispose();
    }

    File.Delete(config);
}

// SERVER_CPUS (e.g. "1") pins every server process there with taskset, away from the load generator's core.
static Process Start(string program, string[] arguments, Dictionary<string, string> environment, Action<string>? onOutput = null)
{
    if (Environment.GetEnvironmentVariable("SERVER_CPUS") is { Length: > 0 } cpus)
    {
        (program, arguments) = ("taskset", ["-c", cpus, program, .. arguments]);
    }

    var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }

    foreach (var (name, value) in environment)
    {
        start.Environment[name] = value;
    }

    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, e) => { if (e.Data is not null) { onOutput?.Invoke(e.Data); } };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine(e.Data); } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task CreateSecretAsync(Uri localAws, ImmutableCredentials admin)
{
    using var client = SignedClient(localAws, admin, "secretsmanager");
    var value = string.Join(",", TapApplication.Secret.Keys.Select(k => $"\\\"{k}\\\":\\\"bench\\\""));
    using var content = new StringContent($$"""{"Name":"{{TapApplication.Secret.Name}}","SecretString":"{{{value}}}"}""", Encoding.UTF8);
    content.Headers.ContentType = new("application/x-amz-json-1.1");
    content.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
    using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
    response.EnsureSuccessStatusCode();
}

static HttpClient SignedClient(Uri endpoint, ImmutableCredentials credentials, string service = "execute-api")
{
#pragma warning disable CA2000 // The HttpClient disposes the handler chain.
    var handler = new SigV4SigningHandler(new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey), "us-east-1", service, new SigV4Signer(TimeProvider.System))
    {
        InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 },
    };
#pragma warning restore CA2000
    return new HttpClient(handler) { BaseAddress = endpoint };
}

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
