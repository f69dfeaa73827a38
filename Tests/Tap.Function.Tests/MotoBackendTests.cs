using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.SecretsManager;
using Amazon.SecretsManager.Model;
using Tap.Testing;

namespace Tap.Function.Tests;

/// <summary>
/// The Function's Secrets Manager calls against a second implementation of the API, moto's server, as the AppHost
/// points them when the SecretsManager settings name another endpoint: the Function process in Lambda mode, reading
/// a secret only moto holds.
/// </summary>
[Trait("Category", "Process")]
public sealed class MotoBackendTests
{
    [Fact]
    public async Task The_function_reads_its_secret_from_moto()
    {
        Assert.SkipUnless(MotoInstalled(), "Missing tool: moto's server (python3 -m moto.server); install moto[server] for Python 3.");
        var port = TcpPorts.Free();
        using var moto = Process.Start(new ProcessStartInfo("python3", ["-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            var endpoint = new Uri($"http://127.0.0.1:{port}");
            var credentials = TestCredentials.New();
            using var client = new AmazonSecretsManagerClient(
                new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey),
                new AmazonSecretsManagerConfig { RegionEndpoint = RegionEndpoint.USEast1, ServiceURL = endpoint.ToString() });
            await WaitUntilUpAsync(client);
            await client.CreateSecretAsync(new CreateSecretRequest
            {
                Name = LambdaEnvironment.SecretId,
                SecretString = """{"API_KEY":"moto-key-value-123","ONLY_IN_MOTO":"moto-only-value-456"}""",
            }, TestContext.Current.CancellationToken);

            await using var runtime = await FakeRuntimeApi.StartAsync("/api-handler");
            var start = LambdaEnvironment.StartInfo(runtime.RuntimeApi, endpoint, "dotnet", Path.Combine(AppContext.BaseDirectory, "Tap.Function.dll"));
            start.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKey;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey;
            var output = new StringBuilder();
            using var function = LambdaEnvironment.Start(start, output);
            try
            {
                var result = await runtime.InvokeAsync("""
                    {"version":"2.0","routeKey":"ANY /{proxy+}","rawPath":"/orders/1","rawQueryString":"","headers":{},
                     "requestContext":{"accountId":"000000000000","apiId":"abc","http":{"method":"GET","path":"/orders/1","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"tests"},
                       "requestId":"gw-1","routeKey":"ANY /{proxy+}","stage":"$default","timeEpoch":0},"isBase64Encoded":false}
                    """);

                Assert.True(result.Kind == "response", $"{result.Kind}: {result.Body}\n{output}");
                using var response = JsonDocument.Parse(result.Body);
                using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
                Assert.True(body.RootElement.GetProperty("configLoaded").GetBoolean(), output.ToString());
                Assert.Equal(["API_KEY", "ONLY_IN_MOTO"], body.RootElement.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()));
                Assert.DoesNotContain("moto-only-value-456", result.Body, StringComparison.Ordinal);
            }
            finally
            {
                function.Kill(entireProcessTree: true);
                await function.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            moto.Kill(entireProcessTree: true);
            await moto.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static bool MotoInstalled()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("python3", ["-c", "import moto.server"]) { RedirectStandardError = true })!;
            probe.WaitForExit(30_000);
            return probe.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static async Task WaitUntilUpAsync(AmazonSecretsManagerClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.ListSecretsAsync(new ListSecretsRequest());
                return;
            }
            catch (AmazonClientException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
