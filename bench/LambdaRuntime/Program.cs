using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Tap.Bench;
using Tap.LocalAws.Settings;
using Tap.Testing;

// Usage: LambdaRuntime <localaws.dll> <rounds> <seconds per round> <concurrency>
//        LambdaRuntime runtime <AWS_LAMBDA_RUNTIME_API>     (an echo runtime: one execution environment)
// Environments are processes of their own (LocalAws tells environments apart by process), each echoing its event.
if (args is ["runtime", var api])
{
    await EchoRuntimeAsync(api);
    return 0;
}

if (args.Length != 4)
{
    Console.Error.WriteLine("usage: LambdaRuntime <localaws.dll> <rounds> <seconds per round> <concurrency>");
    return 2;
}

var (localAwsDll, rounds, seconds, concurrency) = (args[0], Int(args[1]), Int(args[2]), Int(args[3]));
const string Function = "bench";
var admin = TestCredentials.New();
var port = TcpPorts.Free();
var endpoint = new Uri($"http://127.0.0.1:{port}");
var config = Path.Combine(Path.GetTempPath(), $"localaws-bench-{Guid.NewGuid():N}.json");
var settings = new LocalAwsSettings
{
    Principals =
    [
        new("admin", "arn:aws:iam::000000000000:user/admin")
        {
            AccessKeyId = admin.AccessKey,
            SecretAccessKey = admin.SecretKey,
            Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction","localaws:RegisterExecutionEnvironment"],"Resource":"*"}]}"""],
        },
        new("bench-role", "arn:aws:iam::000000000000:role/bench-role"),
    ],
    Functions = [new(Function, "arn:aws:iam::000000000000:role/bench-role") { Timeout = 30 }],
};
var file = new JsonObject();
foreach (var (key, value) in settings.ToConfiguration())
{
    file[key] = value;
}

await File.WriteAllTextAsync(config, file.ToJsonString());
var localAwsStart = new ProcessStartInfo("dotnet") { ArgumentList = { localAwsDll, "--urls", endpoint.ToString(), "--config", config }, UseShellExecute = false, RedirectStandardOutput = true };

// Console logging of every platform line would be measured too; LocalAws logs warnings only here.
localAwsStart.Environment["Logging__LogLevel__Default"] = "Warning";
localAwsStart.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
using var localAws = Process.Start(localAwsStart)!;
localAws.OutputDataReceived += (_, _) => { };
localAws.BeginOutputReadLine();
await using var fake = await FakeRuntimeApi.StartAsync("/" + Function);
var environments = new List<Process>();
try
{
    await Measure.WaitHealthyAsync(new Uri(endpoint, "/health"), "LocalAws");
    using var lambda = SignedClient(endpoint, admin);
    var runtimeApi = $"127.0.0.1:{port}/{Function}";
    using var registrar = SignedHttpClient.Create(admin, ExecutionEnvironmentRegistration.SigningName, endpoint);
    async Task<Process> StartEnvironmentAsync()
    {
        var environment = StartRuntime(runtimeApi);
        await ExecutionEnvironmentRegistration.RegisterAsync(registrar, endpoint, Function, environment.Id, CancellationToken.None);
        return environment;
    }

    environments.Add(await StartEnvironmentAsync());
    using var fakeEnvironment = StartRuntime(fake.RuntimeApi);
    const string Event = """{"version":"2.0","rawPath":"/orders/42","headers":{"host":"bench"}}""";
    Task<string> ViaLocalAws() => InvokeAsync(lambda, Function, Event);
    async Task<string> ViaInTestApi() => (await fake.InvokeAsync(Event)).Body;

    // Warm both paths (JIT, connections).
    for (var i = 0; i < 200; i++)
    {
        await ViaLocalAws();
        await ViaInTestApi();
    }

    var latency = new Dictionary<string, List<double>> { ["LocalAws"] = [], ["in-test"] = [] };
    var throughput = new Dictionary<string, List<double>> { ["1 environment"] = [], ["2 environments"] = [] };
    for (var round = 1; round <= rounds; round++)
    {
        latency["LocalAws"].Add(Measure.Median(await Measure.LatenciesAsync(ViaLocalAws, seconds)));
        latency["in-test"].Add(Measure.Median(await Measure.LatenciesAsync(ViaInTestApi, seconds)));

        throughput["1 environment"].Add(await Measure.RateAsync(ViaLocalAws, seconds, concurrency));
        using var second = await StartEnvironmentAsync();
        await Task.Delay(500);
        throughput["2 environments"].Add(await Measure.RateAsync(ViaLocalAws, seconds, concurrency));
        second.Kill();
        await second.WaitForExitAsync();
        await Task.Delay(200);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: p50 LocalAws {latency["LocalAws"][^1]:0.000} ms, in-test {latency["in-test"][^1]:0.000} ms; invocations/s 1 env {throughput["1 environment"][^1]:0}, 2 env {throughput["2 environments"][^1]:0}"));
    }

    var (viaLocalAws, viaInTest) = (Measure.Median(latency["LocalAws"]), Measure.Median(latency["in-test"]));
    var (one, two) = (Measure.Median(throughput["1 environment"]), Measure.Median(throughput["2 environments"]));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
        median p50 per invocation (one environment, one caller): LocalAws signed Invoke {viaLocalAws:0.000} ms vs in-test Runtime API {viaInTest:0.000} ms: +{viaLocalAws - viaInTest:0.000} ms, {viaLocalAws / viaInTest:0.00}x
        median invocations/s through LocalAws ({concurrency} callers): 1 environment {one:0} vs 2 environments {two:0}: {two / one:0.00}x
        """));
    return 0;
}
finally
{
    foreach (var environment in environments)
    {
        environment.Kill();
        environment.Dispose();
    }

    localAws.Kill();
    File.Delete(config);
}

static async Task EchoRuntimeAsync(string api)
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
    try
    {
        while (true)
        {
            using var next = await http.GetAsync(new Uri("invocation/next", UriKind.Relative));
            var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
            using var body = new ByteArrayContent(await next.Content.ReadAsByteArrayAsync());
            using var _ = await http.PostAsync(new Uri($"invocation/{id}/response", UriKind.Relative), body);
        }
    }
    catch (HttpRequestException)
    {
        // The Runtime API went away: the run is over.
    }
}

static Process StartRuntime(string api)
{
    var start = new ProcessStartInfo("dotnet") { ArgumentList = { typeof(Program).Assembly.Location, "runtime", api }, UseShellExecute = false };
    return Process.Start(start)!;
}

static async Task<string> InvokeAsync(HttpClient lambda, string function, string payload)
{
    using var content = new StringContent(payload);
    using var response = await lambda.PostAsync(new Uri($"/2015-03-31/functions/{function}/invocations", UriKind.Relative), content);
    response.EnsureSuccessStatusCode();
    return await response.Content.ReadAsStringAsync();
}

static HttpClient SignedClient(Uri endpoint, ImmutableCredentials credentials) =>
    SignedHttpClient.Create(credentials, "lambda", endpoint, maxConnectionsPerServer: 64);

static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
