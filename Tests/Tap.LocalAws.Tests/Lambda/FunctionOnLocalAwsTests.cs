using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.SecretsManager.Model;
using Tap.Definition;
using Tap.LocalAws.Settings;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// The Function as Lambda runs it, served by LocalAws's Runtime API: its own process (the JIT build, and the
/// Native AOT <c>bootstrap</c> CI publishes to <c>TAP_FUNCTION_BOOTSTRAP</c>), started from another directory with
/// every log level at Trace, its role's credentials from LocalAws, its secret read from LocalAws over SigV4, and an
/// HTTP API v2 event of a presigned request sent through Lambda's Invoke API.
/// </summary>
[Trait("Category", "Process")]
public sealed class FunctionOnLocalAwsTests
{
    private static readonly string Function = TapApplication.Function.Name;

    [Theory]
    [InlineData("jit")]
    [InlineData("aot")]
    public async Task The_Function_in_Lambda_mode_answers_an_HTTP_API_event_with_its_200_contract(string build)
    {
        var bootstrap = Environment.GetEnvironmentVariable("TAP_FUNCTION_BOOTSTRAP");
        Assert.SkipWhen(build == "aot" && string.IsNullOrEmpty(bootstrap), "The Native AOT bootstrap is not published here: CI publishes it and sets TAP_FUNCTION_BOOTSTRAP.");
        await using var localAws = TestLocalAws.Process(settings: RuntimeProcessTests.Settings(
            new LocalAwsFunctionSettings(Function, TestPrincipals.RoleArn) { Timeout = 30, MemorySize = 256 }));
        await localAws.StartAsync();
        using (var secrets = localAws.SecretsManager())
        {
            await secrets.CreateSecretAsync(new CreateSecretRequest
            {
                Name = TapApplication.Secret.Name,
                SecretString = """{"API_KEY":"k-123","DATABASE_URL":"postgres://u:p@db/app","EXTERNAL_SERVICE_TOKEN":"t-456"}""",
            }, TestContext.Current.CancellationToken);
        }

        var output = new StringBuilder();
        using var process = StartFunction(localAws, build == "aot" ? bootstrap! : null, output);
        try
        {
            await localAws.RegisterEnvironmentAsync(Function, process.Id, TestContext.Current.CancellationToken);
            await FunctionHealth.WaitForAsync(localAws.Endpoint, Function, "Idle", diagnostics: () => localAws.Output);
            using var lambda = SignedLambdaClient.Create(localAws.Endpoint, TestPrincipals.Admin);
            using var response = await lambda.InvokeAsync(Function, """
                {"version":"2.0","routeKey":"ANY /{proxy+}","rawPath":"/prod/orders/42","rawQueryString":"X-Amz-Signature=5ec2e7a1d0c0ffee&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN","headers":{"host":"abc.execute-api.us-east-1.amazonaws.com"},
                 "requestContext":{"accountId":"000000000000","apiId":"abc","domainName":"abc.execute-api.us-east-1.amazonaws.com","stage":"prod","requestId":"gw-1","routeKey":"ANY /{proxy+}","timeEpoch":0,
                   "authorizer":{"iam":{"accessKey":"AKIAIOSFODNN7EXAMPLE","accountId":"000000000000","callerId":"AIDAEXAMPLE","userArn":"arn:aws:iam::000000000000:user/invoker","userId":"AIDAEXAMPLE"}},
                   "http":{"method":"GET","path":"/prod/orders/42","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"tests"}},
                 "isBase64Encoded":false}
                """);

            var payload = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.False(response.Headers.Contains("X-Amz-Function-Error"), $"{payload}\n{output}\n{localAws.Output}");
            using var result = JsonDocument.Parse(payload);
            Assert.Equal(200, result.RootElement.GetProperty("statusCode").GetInt32());
            using var body = JsonDocument.Parse(result.RootElement.GetProperty("body").GetString()!);
            Assert.Equal("/orders/42", body.RootElement.GetProperty("path").GetString());
            Assert.True(body.RootElement.GetProperty("configLoaded").GetBoolean());
            Assert.Equal(TapApplication.Secret.Keys, body.RootElement.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal("arn:aws:iam::000000000000:user/invoker", body.RootElement.GetProperty("caller").GetString());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // Whatever the levels and the working directory, no query string reached the function's log.
        Assert.DoesNotContain("5ec2e7a1d0c0ffee", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FwoGZXIvYXdzEXAMPLETOKEN", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("GET /prod/orders/42 answered 200", output.ToString(), StringComparison.Ordinal);

        // The function's role read the secret; its value never reached a log.
        Assert.Contains("Secrets Manager.GetSecretValue by arn:aws:sts::000000000000:assumed-role/", localAws.Output, StringComparison.Ordinal);
        foreach (var value in (string[])["k-123", "postgres://u:p@db/app", "t-456"])
        {
            Assert.DoesNotContain(value, output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(value, localAws.Output, StringComparison.Ordinal);
        }
    }

    private static Process StartFunction(LocalAwsProcess localAws, string? bootstrap, StringBuilder output)
    {
        var assembly = typeof(FunctionOnLocalAwsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "FunctionAssembly").Value!;
        var endpoint = localAws.Endpoint;
        var runtimeApi = $"{endpoint.Host}:{endpoint.Port}/{Function}";
        var start = bootstrap is null
            ? LambdaEnvironment.StartInfo(runtimeApi, endpoint, "dotnet", assembly)
            : LambdaEnvironment.StartInfo(runtimeApi, endpoint, bootstrap);

        // The role's credentials as LocalAws serves them, refreshed by the SDK's own credential chain.
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "256";
        start.WorkingDirectory = Path.GetTempPath();
        start.Environment["Logging__LogLevel__Default"] = "Trace";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace";
        start.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = SignedHttpClient.ContainerCredentialsUrl(endpoint, TapApplication.FunctionRole.Name).ToString();
        start.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = TestPrincipals.RoleToken;
        return LambdaEnvironment.Start(start, output);
    }
}
