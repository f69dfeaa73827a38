using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Tap.Testing;

namespace Tap.Function.Tests;

/// <summary>
/// The Function as Lambda runs it: its own process with <c>AWS_LAMBDA_RUNTIME_API</c> set, role credentials in the
/// environment, reading its secret over SigV4. CI points <c>TAP_FUNCTION_BOOTSTRAP</c> at the Native AOT
/// <c>bootstrap</c> it published; otherwise the JIT build next to the tests runs.
/// </summary>
[Trait("Category", "Process")]
public sealed class LambdaModeTests
{
    private const string IamAuthorizer = """{"iam":{"accessKey":"AKIAIOSFODNN7EXAMPLE","accountId":"000000000000","callerId":"AIDAEXAMPLE","userArn":"arn:aws:iam::000000000000:user/invoker","userId":"AIDAEXAMPLE"}}""";

    [Fact]
    public async Task The_function_process_answers_an_invocation_in_Lambda_mode()
    {
        await using var runtime = await FakeRuntimeApi.StartAsync("/api-handler");
        await using var secrets = await FakeSecretsManagerEndpoint.StartAsync();
        var output = new StringBuilder();
        using var process = StartFunction(runtime, secrets, output);
        try
        {
            var result = await runtime.InvokeAsync($$"""
                {"version":"2.0","routeKey":"ANY /{proxy+}","rawPath":"/prod/orders/42","rawQueryString":"","headers":{"host":"abc.execute-api.us-east-1.amazonaws.com","authorization":"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/…","x-amz-security-token":"caller-session-token","cookie":"session=caller-cookie"},
                 "requestContext":{"accountId":"000000000000","apiId":"abc","domainName":"abc.execute-api.us-east-1.amazonaws.com","authorizer":{{IamAuthorizer}},
                   "http":{"method":"GET","path":"/prod/orders/42","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"tests"},
                   "requestId":"gw-1","routeKey":"ANY /{proxy+}","stage":"prod","timeEpoch":0},
                 "isBase64Encoded":false}
                """);

            Assert.True(result.Kind == "response", $"{result.Kind}: {result.Body}\n{output}");
            using var response = JsonDocument.Parse(result.Body);
            Assert.Equal(200, response.RootElement.GetProperty("statusCode").GetInt32());
            using var body = JsonDocument.Parse(response.RootElement.GetProperty("body").GetString()!);
            var root = body.RootElement;
            Assert.Equal("/orders/42", root.GetProperty("path").GetString());
            Assert.True(root.GetProperty("configLoaded").GetBoolean());
            Assert.Equal(["API_KEY", "DATABASE_URL", "EXTERNAL_SERVICE_TOKEN"], root.GetProperty("availableConfigKeys").EnumerateArray().Select(k => k.GetString()));
            Assert.Equal("arn:aws:iam::000000000000:user/invoker", root.GetProperty("caller").GetString());
            Assert.Equal(response.RootElement.GetProperty("headers").GetProperty("X-Request-ID").GetString(), root.GetProperty("requestId").GetString());
            Assert.Equal(1, secrets.Calls);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        // The request was logged, without the caller's credentials, cookies or any secret value.
        var log = output.ToString();
        Assert.Contains("GET /prod/orders/42 answered 200", log, StringComparison.Ordinal);
        foreach (var sensitive in (string[])["AWS4-HMAC-SHA256", "caller-session-token", "caller-cookie", "k-123", "postgres://u:p@db/app", "t-456", FakeSecretsManagerEndpoint.SecretAccessKey])
        {
            Assert.DoesNotContain(sensitive, log, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_traceparent_the_requests_JSON_log_lines_carry_the_trace_Lambda_passed()
    {
        // As in AWS: an HTTP API event has no traceparent; Lambda passes the X-Ray header with the invocation.
        const string xray = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
        await using var runtime = await FakeRuntimeApi.StartAsync("/api-handler");
        await using var secrets = await FakeSecretsManagerEndpoint.StartAsync();
        var output = new StringBuilder();
        using var process = StartFunction(runtime, secrets, output, jsonLogs: true);
        try
        {
            var result = await runtime.InvokeAsync("""
                {"version":"2.0","routeKey":"ANY /{proxy+}","rawPath":"/prod/orders/7","rawQueryString":"","headers":{"host":"abc.execute-api.us-east-1.amazonaws.com"},
                 "requestContext":{"accountId":"000000000000","apiId":"abc","domainName":"abc.execute-api.us-east-1.amazonaws.com",
                   "http":{"method":"GET","path":"/prod/orders/7","protocol":"HTTP/1.1","sourceIp":"203.0.113.7","userAgent":"tests"},
                   "requestId":"gw-2","routeKey":"ANY /{proxy+}","stage":"prod","timeEpoch":0},
                 "isBase64Encoded":false}
                """, traceId: xray);
            Assert.True(result.Kind == "response", $"{result.Kind}: {result.Body}\n{output}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var requestLine = output.ToString().Split('\n').Single(l => l.Contains("GET /prod/orders/7 answered 200", StringComparison.Ordinal));
        Assert.Contains("\"TraceId\":\"5759e988bd862e3fe1be46a994272793\"", requestLine, StringComparison.Ordinal);
    }

    private static Process StartFunction(FakeRuntimeApi runtime, FakeSecretsManagerEndpoint secrets, StringBuilder output, bool jsonLogs = false)
    {
        var bootstrap = Environment.GetEnvironmentVariable("TAP_FUNCTION_BOOTSTRAP");
        var start = string.IsNullOrEmpty(bootstrap)
            ? LambdaEnvironment.StartInfo(runtime, secrets, "dotnet", Path.Combine(AppContext.BaseDirectory, "Tap.Function.dll"))
            : LambdaEnvironment.StartInfo(runtime, secrets, bootstrap);
        if (jsonLogs)
        {
            start.Environment["AWS_LAMBDA_LOG_FORMAT"] = "JSON";
        }

        return LambdaEnvironment.Start(start, output);
    }
}
