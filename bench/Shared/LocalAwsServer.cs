using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.Bench;

/// <summary>
/// LocalAws as its own process for a benchmark: generated admin and invoker keys, the Function's role (its
/// credentials served to the Function as in Aspire), the Function and, when asked, the definition's HTTP API with
/// throttling off; the configuration secret created. Every process a benchmark starts goes through
/// <see cref="Start"/> (the function's, in Lambda mode, through <see cref="StartEnvironmentAsync"/>), so SERVER_CPUS (e.g. "1") pins them all away from the load generator with taskset.
/// </summary>
internal sealed class LocalAwsServer : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private readonly string _config;
    private readonly string _roleToken = Guid.NewGuid().ToString("N");
    private int _secretReads;

    private LocalAwsServer(Uri endpoint, string config) => (Endpoint, _config) = (endpoint, config);

    public Uri Endpoint { get; }

    /// <summary>Its HTTPS address (a certificate from its own CA, served at /_localaws/ca.pem), when asked for.</summary>
    public Uri? HttpsEndpoint { get; private init; }

    public ImmutableCredentials Admin { get; } = TestCredentials.New();

    public ImmutableCredentials Invoker { get; } = TestCredentials.New();

    /// <summary>GetSecretValue calls served so far (LocalAws logs one line per AWS API call in its Tap.LocalAws.Api category).</summary>
    public int SecretReads => Volatile.Read(ref _secretReads);

    public static string FunctionName => TapApplication.Function.Name;

    /// <param name="localAwsDll">The built <c>Tap.LocalAws.dll</c>.</param>
    /// <param name="gateway">Where to serve the definition's HTTP API, if at all.</param>
    /// <param name="https">Also listen on an HTTPS address (<see cref="HttpsEndpoint"/>).</param>
    /// <param name="environment">More of LocalAws's environment (OpenTelemetry's settings, say).</param>
    public static async Task<LocalAwsServer> StartAsync(string localAwsDll, Uri? gateway = null, bool https = false, IReadOnlyDictionary<string, string>? environment = null)
    {
        var endpoint = new Uri($"http://127.0.0.1:{TcpPorts.Free()}");
        var server = new LocalAwsServer(endpoint, Path.Combine(Path.GetTempPath(), $"localaws-bench-{Guid.NewGuid():N}.json"))
        {
            HttpsEndpoint = https ? new Uri($"https://127.0.0.1:{TcpPorts.Free()}") : null,
        };
        var file = new JsonObject();
        foreach (var (key, value) in server.Settings(gateway).ToConfiguration())
        {
            file[key] = value;
        }

        await File.WriteAllTextAsync(server._config, file.ToJsonString());

        // Every other category at Warning: info-level logs (an access log line per request) would be measured too.
        var urls = server.HttpsEndpoint is { } secure ? $"{endpoint};{secure}" : endpoint.ToString();
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Tap.LocalAws.Api"] = "Information",
        };
        server.Start("dotnet", [localAwsDll, "--urls", urls, "--config", server._config], variables,
            line =>
            {
                if (line.Contains("Secrets Manager.GetSecretValue by", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref server._secretReads);
                }
            });
        await Measure.WaitHealthyAsync(new Uri(endpoint, "/health"), "LocalAws");
        await server.CreateSecretAsync();
        return server;
    }

    /// <summary>What the Function needs in any mode: its secret, Secrets Manager at LocalAws, its role's credentials.</summary>
    public Dictionary<string, string> FunctionEnvironment() => new()
    {
        ["AWS_REGION"] = "us-east-1",
        [FunctionDefinition.SecretIdVariable] = TapApplication.Secret.Name,
        ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = Endpoint.ToString(),
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = SignedHttpClient.ContainerCredentialsUrl(Endpoint, TapApplication.FunctionRole.Name).ToString(),
        ["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = _roleToken,
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary><see cref="FunctionEnvironment"/> plus Lambda's: the process polls LocalAws's Runtime API.</summary>
    public Dictionary<string, string> LambdaEnvironment() => new(FunctionEnvironment())
    {
        ["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName,
        ["AWS_LAMBDA_RUNTIME_API"] = $"{Endpoint.Host}:{Endpoint.Port}/{FunctionName}",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = TapApplication.Function.MemorySize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Starts the function's process in Lambda mode (<see cref="LambdaEnvironment"/>) and registers it with LocalAws
    /// as an execution environment, as the AppHost does: only registered processes may poll the Runtime API.
    /// </summary>
    public async Task<Process> StartEnvironmentAsync(string program, string[] arguments)
    {
        var process = Start(program, arguments, LambdaEnvironment());
        using var client = SignedClient(Endpoint, Admin, ExecutionEnvironmentRegistration.SigningName);
        await ExecutionEnvironmentRegistration.RegisterAsync(client, Endpoint, FunctionName, process.Id, CancellationToken.None);
        return process;
    }

    /// <summary>Starts a process (pinned to SERVER_CPUS when set) that lives until this server is disposed.</summary>
    public Process Start(string program, string[] arguments, Dictionary<string, string> environment, Action<string>? onOutput = null)
    {
        if (Environment.GetEnvironmentVariable("SERVER_CPUS") is { Length: > 0 } cpus)
        {
            (program, arguments) = ("taskset", ["-c", cpus, program, .. arguments]);
        }

        var start = ChildProcess.StartInfo(program, arguments, clearTelemetry: true);

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                onOutput?.Invoke(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>A client that signs every request for <paramref name="service"/> with <paramref name="credentials"/>.</summary>
    public static HttpClient SignedClient(Uri endpoint, ImmutableCredentials credentials, string service = "execute-api") =>
        SignedHttpClient.Create(credentials, service, endpoint, maxConnectionsPerServer: 256);

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        File.Delete(_config);
    }

    private LocalAwsSettings Settings(Uri? gateway)
    {
        var roleArn = $"arn:aws:iam::000000000000:role/{TapApplication.FunctionRole.Name}";
        return new LocalAwsSettings
        {
            Principals =
            [
                new("admin", "arn:aws:iam::000000000000:user/admin")
                {
                    AccessKeyId = Admin.AccessKey,
                    SecretAccessKey = Admin.SecretKey,
                    Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"""],
                },
                new("invoker", "arn:aws:iam::000000000000:user/invoker")
                {
                    AccessKeyId = Invoker.AccessKey,
                    SecretAccessKey = Invoker.SecretKey,
                    Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:us-east-1:000000000000:*/prod/*/*"}]}"""],
                },
                new(TapApplication.FunctionRole.Name, roleArn)
                {
                    ContainerCredentialsToken = _roleToken,
                    MaxSessionDuration = 43200,
                    Policies = ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue","secretsmanager:DescribeSecret"],"Resource":"*"}]}"""],
                },
            ],
            Functions = [new(FunctionName, roleArn) { Timeout = 30, MemorySize = TapApplication.Function.MemorySize }],
            HttpApis = gateway is null
                ? []
                :
                [
                    new(TapApplication.HttpApi.Name, [.. TapApplication.HttpApi.Routes.Select(r => new LocalAwsRouteSettings(r.RouteKey, r.Function) { AuthorizationType = r.AuthorizationType })])
                    {
                        Url = gateway.ToString(),
                        Stage = TapApplication.HttpApi.Stage,
                        AccessLogFormat = TapApplication.HttpApi.AccessLogFormat,
                        DetailedMetricsEnabled = TapApplication.HttpApi.DetailedMetrics,
                    },
                ],
        };
    }

    private async Task CreateSecretAsync()
    {
        using var client = SignedClient(Endpoint, Admin, "secretsmanager");
        var value = string.Join(",", TapApplication.Secret.Keys.Select(k => $"\\\"{k}\\\":\\\"bench\\\""));
        using var content = new StringContent($$"""{"Name":"{{TapApplication.Secret.Name}}","SecretString":"{{{value}}}"}""", Encoding.UTF8);
        content.Headers.ContentType = new("application/x-amz-json-1.1");
        content.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }
}
