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
// execution environments do) and one process under Kestrel. Rounds alternate the two paths.
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
try
{
    // Info-level logs (an access log line per request, a log line per function request) would be measured too.
    processes.Add(Start("dotnet", [localAwsDll, "--urls", localAws.ToString(), "--config", config], new() { ["Logging__LogLevel__Default"] = "Warning" }));
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

    var results = new Dictionary<string, (List<double> P50, List<double> P99, List<double> Rate)>
    {
        ["gateway"] = ([], [], []),
        ["direct"] = ([], [], []),
    };
    for (var round = 1; round <= rounds; round++)
    {
        // Alternate which path goes first, so drift on a shared machine favours neither.
        var order = round % 2 == 1 ? new[] { ("gateway", (Func<Task>)ViaGateway), ("direct", Direct) } : [("direct", Direct), ("gateway", ViaGateway)];
        foreach (var (name, call) in order)
        {
            var latencies = await Measure.LatenciesAsync(call, seconds);
            results[name].P50.Add(Measure.Median(latencies));
            results[name].P99.Add(Measure.Percentile(latencies, 0.99));
            results[name].Rate.Add(await Measure.RateAsync(call, seconds, concurrency));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: p50 gateway {results["gateway"].P50[^1]:0.000} ms, direct {results["direct"].P50[^1]:0.000} ms; req/s gateway {results["gateway"].Rate[^1]:0}, direct {results["direct"].Rate[^1]:0}"));
    }

    var (g, d) = (results["gateway"], results["direct"]);
    var (gP50, dP50) = (Measure.Median(g.P50), Measure.Median(d.P50));
    var (gRate, dRate) = (Measure.Median(g.Rate), Measure.Median(d.Rate));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        median p50 (one caller): signed via gateway {gP50:0.000} ms vs direct Kestrel {dP50:0.000} ms: +{gP50 - dP50:0.000} ms ({gP50 / dP50:0.00}x); p99 {Measure.Median(g.P99):0.000} vs {Measure.Median(d.P99):0.000} ms
        median requests/s ({concurrency} callers, {environments} execution environments): signed via gateway {gRate:0} vs direct Kestrel {dRate:0}: {gRate / dRate:0.00}x
        """));
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

static Process Start(string program, string[] arguments, Dictionary<string, string> environment)
{
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
    process.OutputDataReceived += (_, _) => { };
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
