using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Tls;

/// <summary>
/// LocalAws over HTTPS as clients no one here wrote see it: its CA's certificate from <c>/_localaws/ca.pem</c> and the
/// data directory, trusted through <c>AWS_CA_BUNDLE</c> (AWS CLI v1 and v2), <c>curl --cacert</c> and a .NET chain
/// policy; refused by each without it; the same CA after a restart; and <c>aws:SecureTransport</c> telling the two apart.
/// </summary>
[Trait("Category", "Process")]
public sealed class HttpsTests
{
    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    [Fact]
    public async Task The_CA_is_served_written_kept_across_restarts_and_trusted_by_curl_and_dotnet_only_when_told()
    {
        await using var localAws = TestLocalAws.Process(durable: true, https: true);
        await localAws.StartAsync();
        using var http = new HttpClient();
        var served = await http.GetStringAsync(new Uri(localAws.Endpoint, LocalAwsSettings.CaCertificatePath), TestContext.Current.CancellationToken);
        var file = localAws.CaCertificateFile;
        Assert.Equal(served, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", served, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", served, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", localAws.Output, StringComparison.Ordinal);

        // .NET: trusted as a custom root, a signed STS call over HTTPS; the system's trust alone refuses the certificate.
        using var ca = X509Certificate2.CreateFromPem(served);
        Assert.Equal(HttpStatusCode.OK, await CallerIdentityAsync(localAws.HttpsEndpoint!, ca));
        await Assert.ThrowsAsync<HttpRequestException>(() => CallerIdentityAsync(localAws.HttpsEndpoint!, trustedCa: null));

        // curl, with and without --cacert, also at 127.0.0.1 (the certificate names the loopback addresses).
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        var https = localAws.HttpsEndpoint!;
        var loopback = localAws.HttpsLoopback;
        foreach (var url in (Uri[])[https, loopback])
        {
            var trusted = await ExternalProcess.RunAsync("curl", ["-sS", "--cacert", file, new Uri(url, LocalAwsSettings.CaCertificatePath).ToString()], new Dictionary<string, string>());
            Assert.True(trusted.ExitCode == 0, trusted.Error);
            Assert.Equal(served, trusted.Output);
        }

        var untrusted = await ExternalProcess.RunAsync("curl", ["-sS", new Uri(https, "/health").ToString()], new Dictionary<string, string>());
        Assert.NotEqual(0, untrusted.ExitCode);

        // The CA outlives the process: clients trust it once.
        await localAws.StopAsync();
        await localAws.StartAsync();
        Assert.Equal(served, await http.GetStringAsync(new Uri(localAws.Endpoint, LocalAwsSettings.CaCertificatePath), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, await CallerIdentityAsync(localAws.HttpsEndpoint!, ca));
    }

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task A_TLS_only_resource_policy_denies_a_read_over_HTTP_and_serves_it_over_HTTPS(string cli)
    {
        Assert.SkipUnless(ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        await using var localAws = TestLocalAws.Process(durable: true, https: true);
        await localAws.StartAsync();
        var trust = new Dictionary<string, string> { ["AWS_CA_BUNDLE"] = localAws.CaCertificateFile };
        var https = localAws.HttpsEndpoint!;
        var created = await AwsCli.RunProgramAsync(cli, https, TestPrincipals.Admin, trust,
            "secretsmanager", "create-secret", "--name", "tls/only", "--secret-string", "tls-value-7f3a");
        Assert.True(created.ExitCode == 0, created.Error);
        const string TlsOnly = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"secretsmanager:*","Resource":"*",
              "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
            """;
        var policy = await AwsCli.RunProgramAsync(cli, https, TestPrincipals.Admin, trust,
            "secretsmanager", "put-resource-policy", "--secret-id", "tls/only", "--resource-policy", TlsOnly);
        Assert.True(policy.ExitCode == 0, policy.Error);

        var overHttp = await AwsCli.RunProgramAsync(cli, localAws.Endpoint, TestPrincipals.Admin, null, "secretsmanager", "get-secret-value", "--secret-id", "tls/only");
        Assert.NotEqual(0, overHttp.ExitCode);
        Assert.Contains("AccessDenied", overHttp.Error, StringComparison.Ordinal);
        Assert.Contains("explicit deny", overHttp.Error, StringComparison.Ordinal);

        var overHttps = await AwsCli.RunProgramAsync(cli, https, TestPrincipals.Admin, trust, "secretsmanager", "get-secret-value", "--secret-id", "tls/only");
        Assert.True(overHttps.ExitCode == 0, overHttps.Error);
        Assert.Contains("tls-value-7f3a", overHttps.Output, StringComparison.Ordinal);

        // Without the CA the CLI refuses the certificate and sends nothing it could read.
        var untrusted = await AwsCli.RunProgramAsync(cli, https, TestPrincipals.Admin, null, "sts", "get-caller-identity");
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.Contains("SSL", untrusted.Error, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> CallerIdentityAsync(Uri endpoint, X509Certificate2? trustedCa)
    {
        using var client = SignedHttpClient.Create(TestPrincipals.Admin, "sts", endpoint, trustedCa: trustedCa);
        using var content = new StringContent("Action=GetCallerIdentity&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/", UriKind.Relative), content, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }
}
