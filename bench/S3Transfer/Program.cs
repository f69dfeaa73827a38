using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tap.Bench;
using Tap.LocalAws.Settings;
using Tap.Testing;

// Usage: S3Transfer <localaws.dll> <rounds> <transfers per round>
// The same signed PutObject and GetObject of one 12 MB object over LocalAws's HTTPS and its plain HTTP, rounds
// alternating which goes first. Both send UNSIGNED-PAYLOAD, so the bytes on the wire differ only by TLS.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: S3Transfer <localaws.dll> <rounds> <transfers per round>");
    return 2;
}

var (localAwsDll, rounds, transfers) = (args[0], Int(args[1]), Int(args[2]));
const int ObjectBytes = 12 * 1024 * 1024;
const double Megabytes = ObjectBytes / 1_000_000.0;

await using var server = await LocalAwsServer.StartAsync(localAwsDll, https: true);
using var plain = SignedHttpClient.Create(server.Admin, "s3", server.Endpoint);
using var ca = X509Certificate2.CreateFromPem(await plain.GetStringAsync(new Uri(LocalAwsSettings.CaCertificatePath, UriKind.Relative)));
using var tls = SignedHttpClient.Create(server.Admin, "s3", server.HttpsEndpoint, trustedCa: ca);
var bucket = $"bench-{Guid.NewGuid():N}"[..30];
await CheckAsync(plain.PutAsync(new Uri($"/{bucket}", UriKind.Relative), null));
var data = RandomNumberGenerator.GetBytes(ObjectBytes);

async Task PutAsync(HttpClient client)
{
    using var content = new ByteArrayContent(data);
    await CheckAsync(client.PutAsync(new Uri($"/{bucket}/object.bin", UriKind.Relative), content));
}

async Task GetAsync(HttpClient client)
{
    using var response = await client.GetAsync(new Uri($"/{bucket}/object.bin", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
    Check(response);
    await using var body = await response.Content.ReadAsStreamAsync();
    var read = 0L;
    var buffer = new byte[81920];
    int n;
    while ((n = await body.ReadAsync(buffer)) > 0)
    {
        read += n;
    }

    if (read != ObjectBytes)
    {
        throw new InvalidOperationException($"GetObject read {read} bytes, not {ObjectBytes}.");
    }
}

async Task<double> MegabytesPerSecondAsync(Func<HttpClient, Task> transfer, HttpClient client)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < transfers; i++)
    {
        await transfer(client);
    }

    return transfers * Megabytes / clock.Elapsed.TotalSeconds;
}

// Warm both paths (JIT, connections, the TLS session).
foreach (var client in (HttpClient[])[plain, tls])
{
    for (var i = 0; i < 3; i++)
    {
        await PutAsync(client);
        await GetAsync(client);
    }
}

var results = new Dictionary<string, List<double>>();
void Add(string name, double value) => (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(value);
for (var round = 0; round < rounds; round++)
{
    var order = round % 2 == 0 ? new[] { ("https", tls), ("http", plain) } : [("http", plain), ("https", tls)];
    foreach (var (name, client) in order)
    {
        Add($"put {name}", await MegabytesPerSecondAsync(PutAsync, client));
        Add($"get {name}", await MegabytesPerSecondAsync(GetAsync, client));
    }

    Console.WriteLine(string.Join("  ", results.Select(r => $"{r.Key} {r.Value[^1]:F0} MB/s")));
}

Console.WriteLine($"{transfers} transfers of a 12 MB object per round, median of {rounds} rounds:");
foreach (var operation in (string[])["put", "get"])
{
    var https = Measure.Median(results[$"{operation} https"]);
    var http = Measure.Median(results[$"{operation} http"]);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(operation == "put" ? "PutObject" : "GetObject")}: HTTPS {https:F0} MB/s, HTTP {http:F0} MB/s: HTTPS/HTTP {https / http:F2}×"));
}

return 0;

static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

static async Task CheckAsync(Task<HttpResponseMessage> sending)
{
    using var response = await sending;
    Check(response);
}

static void Check(HttpResponseMessage response)
{
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"S3 answered {(int)response.StatusCode}.");
    }
}
