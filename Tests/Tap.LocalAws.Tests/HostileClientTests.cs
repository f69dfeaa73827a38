using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tap.Aws.Signing;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>
/// LocalAws as its own process, against what a careless or hostile client sends over a real socket: malformed
/// framing, huge streamed bodies in parallel, a hang-up mid-request, credentials in URLs; and a second LocalAws on the same data.
/// </summary>
[Trait("Category", "Process")]
#pragma warning disable CA1001 // xunit disposes the test class through IAsyncLifetime.DisposeAsync.
public sealed class HostileClientTests(ITestOutputHelper output) : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly LocalAwsProcess _localAws = TestLocalAws.Process(durable: true);

    public async ValueTask InitializeAsync() => await _localAws.StartAsync();

    public ValueTask DisposeAsync() => _localAws.DisposeAsync();

    private Task<string> SendRawAsync(string request, bool hangUp = false) => RawHttp.SendAsync(_localAws.Endpoint, request, hangUp);

    private async Task AssertStillServingAsync()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(_localAws.Endpoint, "/health"))).StatusCode);
        Assert.False(_localAws.HasExited);
    }

    [Fact]
    public async Task Malformed_chunk_framing_is_a_client_error_and_the_server_carries_on()
    {
        var status = await SendRawAsync(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nabc\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", status, StringComparison.Ordinal);
        await AssertStillServingAsync();
        Assert.DoesNotContain("fail:", _localAws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hundreds_of_half_sent_requests_do_not_keep_health_or_signed_callers_waiting()
    {
        const string Start = "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: secretsmanager.ListSecrets\r\n";
        var stalled = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 300; i++)
            {
                // Half never finish their headers; half promise a body and send one byte of it.
                var client = new TcpClient();
                stalled.Add(client);
                await client.ConnectAsync(_localAws.Endpoint.Host, _localAws.Endpoint.Port, TestContext.Current.CancellationToken);
                var partial = i % 2 == 0 ? Start : Start + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 1000\r\n\r\n{";
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(partial), TestContext.Current.CancellationToken);
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            await AssertStillServingAsync();
            using var secrets = _localAws.SecretsManager();
            await secrets.ListSecretsAsync(new Amazon.SecretsManager.Model.ListSecretsRequest(), TestContext.Current.CancellationToken);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Served after {clock.Elapsed} with {stalled.Count} requests half-sent.");
        }
        finally
        {
            stalled.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_body_is_not_an_error()
    {
        await SendRawAsync("POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: secretsmanager.ListSecrets\r\nContent-Length: 100000\r\n\r\n{\"Max", hangUp: true);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        await AssertStillServingAsync();
        Assert.DoesNotContain("fail:", _localAws.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("failed unexpectedly", _localAws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Twelve_huge_streamed_bodies_at_once_are_each_refused_and_the_peak_memory_is_reported()
    {
        var before = PeakResidentMegabytes();
        using var http = new HttpClient();

        var statuses = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            using var content = new StreamContent(new GeneratedBodyStream(29 * 1024 * 1024));
            using var request = new HttpRequestMessage(HttpMethod.Post, _localAws.Endpoint) { Content = content };
            request.Headers.Add("X-Amz-Target", "secretsmanager.CreateSecret");
            try
            {
                using var response = await http.SendAsync(request);
                return (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // The server may close the connection once it has answered: the rest of the body is not wanted.
                return 413;
            }
        }));

        var after = PeakResidentMegabytes();
        output.WriteLine($"LocalAws peak RSS: {before} MB before, {after} MB after 12 parallel 29 MB streamed bodies");
        Assert.All(statuses, status => Assert.Equal(413, status));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Started_from_another_directory_it_keeps_its_settings_and_never_logs_a_presigned_URL()
    {
        var url = new SigV4Signer(TimeProvider.System).Presign(
            HttpMethod.Get, new Uri(_localAws.Endpoint, "/?Action=GetCallerIdentity&Version=2011-06-15"), TestPrincipals.Admin, "us-east-1", "sts", TimeSpan.FromMinutes(5));
        using var http = new HttpClient();

        using var response = await http.GetAsync(url, TestContext.Current.CancellationToken);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("X-Amz-Signature", _localAws.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("X-Amz-Credential", _localAws.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_second_LocalAws_on_the_same_data_directory_refuses_to_start_and_the_first_carries_on()
    {
        await using var second = TestLocalAws.Process(dataDirectory: _localAws.DataDirectory);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(second.StartAsync);

        Assert.Contains("is in use by another LocalAws process", ex.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    private int PeakResidentMegabytes()
    {
        var status = File.ReadAllLines($"/proc/{_localAws.ProcessId}/status").Single(line => line.StartsWith("VmHWM:", StringComparison.Ordinal));
        return int.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
