using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Tap.LocalAws.Tests;

/// <summary>
/// LocalAws as a user runs it: its own process on a free loopback port, configured with <c>--config file.json</c>
/// (policies written as JSON objects). Real AWS clients that no one here wrote are pointed at it.
/// </summary>
public sealed class LocalAwsProcessFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("localaws-tests-").FullName;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri Endpoint { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        var configPath = Path.Combine(_directory, "localaws.json");
        await File.WriteAllTextAsync(configPath, ConfigFile().ToJsonString());

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Tap.LocalAws.dll"), "--urls", Endpoint.ToString(), "--config", configPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"LocalAws exited at start:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(new Uri(Endpoint, "/health"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"LocalAws did not become healthy:\n{Output}");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static JsonObject ConfigFile()
    {
        static JsonNode Policy(string json) => JsonNode.Parse(json)!;
        static JsonObject User(string name, Amazon.Runtime.ImmutableCredentials key, string policy) => new()
        {
            ["Name"] = name,
            ["Arn"] = $"arn:aws:iam::000000000000:user/{name}",
            ["AccessKeyId"] = key.AccessKey,
            ["SecretAccessKey"] = key.SecretKey,
            ["Policies"] = new JsonArray(Policy(policy)),
        };

        return new JsonObject
        {
            ["LocalAws"] = new JsonObject
            {
                ["AccountId"] = "000000000000",
                ["Region"] = "us-east-1",
                ["Principals"] = new JsonArray(
                    User("admin", TestPrincipals.Admin, TestPrincipals.AllowAll),
                    User("reader", TestPrincipals.Reader, TestPrincipals.ReadConfigSecret),
                    new JsonObject
                    {
                        ["Name"] = "api-handler-role",
                        ["Arn"] = TestPrincipals.RoleArn,
                        ["ContainerCredentialsToken"] = TestPrincipals.RoleToken,
                        ["Policies"] = new JsonArray(Policy(TestPrincipals.ReadConfigSecret)),
                    }),
            },
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class LocalAwsProcessCollectionDefinition : ICollectionFixture<LocalAwsProcessFixture>
{
    public const string Name = "LocalAws process";
}
