using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Tap.LocalAws.Settings;

namespace Tap.Testing;

/// <summary>
/// LocalAws as a user runs it: its own process on a free loopback port, configured with <c>--config file.json</c>,
/// optionally with a data directory. It can be killed and started again. The test project must reference LocalAws's
/// server project, so that <c>Tap.LocalAws.dll</c> is in its output.
/// </summary>
public sealed class LocalAwsProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("localaws-tests-").FullName;
    private readonly StringBuilder _output = new();
    private readonly int _port = TcpPorts.Free();
    private Process? _process;

    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ImmutableCredentials _admin;

    /// <param name="admin">The credentials of a principal configured in <paramref name="settings"/> that may do anything.</param>
    /// <param name="settings">Its configuration: the principals, and functions, say.</param>
    /// <param name="durable">Keep state in a data directory of its own.</param>
    /// <param name="dataDirectory">Keep state here instead (shared with another process, say).</param>
    /// <param name="https">Also listen on an HTTPS address (<see cref="HttpsEndpoint"/>).</param>
    public LocalAwsProcess(ImmutableCredentials admin, IReadOnlyDictionary<string, string?> settings, bool durable = false, string? dataDirectory = null, bool https = false)
    {
        _admin = admin;
        Endpoint = new Uri($"http://127.0.0.1:{_port}");
        HttpsEndpoint = https ? new Uri($"https://localhost:{TcpPorts.Free()}") : null;
        DataDirectory = dataDirectory ?? (durable ? Path.Combine(_directory, "data") : null);
        _settings = settings;
    }

    public Uri Endpoint { get; }

    /// <summary>The HTTPS address, when asked for: served with a certificate from LocalAws's own CA.</summary>
    public Uri? HttpsEndpoint { get; }

    public string? DataDirectory { get; }

    /// <summary>The CA certificate LocalAws writes into its data directory, for <c>AWS_CA_BUNDLE</c> and <c>curl --cacert</c>.</summary>
    public string CaCertificateFile => Path.Combine(
        DataDirectory ?? throw new InvalidOperationException("LocalAws writes its CA only into a data directory."),
        LocalAwsSettings.CaCertificateDirectory, LocalAwsSettings.CaCertificateFileName);

    /// <summary>The HTTPS address at 127.0.0.1: an IP literal makes the AWS SDKs and CLIs address S3 path-style.</summary>
    public Uri HttpsLoopback => new UriBuilder(HttpsEndpoint ?? throw new InvalidOperationException("LocalAws was not asked for HTTPS.")) { Host = "127.0.0.1" }.Uri;

    /// <summary>The running process's id.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("LocalAws is not running.");

    /// <summary>Whether the process has exited (a crash, or a refusal to start).</summary>
    public bool HasExited => _process?.HasExited ?? true;

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

    public async Task StartAsync()
    {
        var configPath = Path.Combine(_directory, "localaws.json");
        await File.WriteAllTextAsync(configPath, ConfigFile(DataDirectory, _settings).ToJsonString());

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Tap.LocalAws.dll"), "--urls", HttpsEndpoint is null ? Endpoint.ToString() : $"{Endpoint};{HttpsEndpoint}", "--config", configPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,

            // Not the program's directory: LocalAws must find its own appsettings.json from anywhere.
            WorkingDirectory = _directory,
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

    /// <summary>The process's open file descriptors and resident memory now (Linux <c>/proc</c>).</summary>
    public (int Descriptors, long ResidentBytes) Resources()
    {
        var pid = ProcessId;
        var resident = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var kilobytes = long.Parse(resident["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        return (Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length, kilobytes * 1024);
    }

    /// <summary>A Secrets Manager client for this LocalAws, as its admin, without retries (a test sees every failure).</summary>
    public AmazonSecretsManagerClient SecretsManager() => new(
        new BasicAWSCredentials(_admin.AccessKey, _admin.SecretKey),
        new AmazonSecretsManagerConfig { RegionEndpoint = RegionEndpoint.USEast1, ServiceURL = Endpoint.ToString(), MaxErrorRetry = 0 });

    /// <summary>
    /// Registers <paramref name="processId"/> (and what it starts) as an execution environment of
    /// <paramref name="function"/>, as LocalAws's admin: only registered processes may use the function's Runtime API.
    /// </summary>
    public async Task RegisterEnvironmentAsync(string function, int processId, CancellationToken cancellationToken = default)
    {
        using var client = SignedHttpClient.Create(_admin, ExecutionEnvironmentRegistration.SigningName);
        await ExecutionEnvironmentRegistration.RegisterAsync(client, Endpoint, function, processId, cancellationToken);
    }

    /// <summary>SIGTERM, as Aspire's stop command or a service manager sends it: a graceful shutdown, however long it takes.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("LocalAws is not running.");
        await ExternalProcess.SignalAsync(process.Id, "TERM");
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    /// <summary>SIGKILL: no shutdown, no flushing, as a crash or power cut would leave it.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
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

    /// <summary>The settings as a configuration file (flat keys, as the shared settings writer produces them).</summary>
    private static JsonObject ConfigFile(string? dataDirectory, IReadOnlyDictionary<string, string?> settings)
    {
        var file = new JsonObject();
        foreach (var (key, value) in settings)
        {
            file[key] = value;
        }

        if (dataDirectory is not null)
        {
            file[$"{LocalAwsSettings.SectionName}:{nameof(LocalAwsSettings.DataDirectory)}"] = dataDirectory;
        }

        return file;
    }
}
