using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.CloudFormation;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// Functions deployed by CloudFormation from zips, which LocalAws runs itself: AWS's tutorial runtime (bash and
/// curl) from an S3 zip with its mode bits, Lambda's environment and the role's credentials, a cold start's Init
/// Duration, the concurrency limit and throttling, idle environments stopped, a crashed one replaced, runtimes it
/// cannot run failing the invocation rather than the deploy, and API Gateway admitted only from the route its
/// permission names. LocalAws runs as its own process, with 2 environments per function, a 5-second idle timeout (room for a loaded machine between two calls) and a 5-second wait for a
/// free environment (room for a cold start on a loaded machine).
/// </summary>
[Trait("Category", "Process")]
public sealed class DeployedFunctionTests : IAsyncLifetime
{
    private const string Bucket = "code";

    private static readonly string Template = """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
          Shell:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: shell
              Runtime: provided.al2023
              Handler: function.handler
              Role: !GetAtt Role.Arn
              MemorySize: 256
              Timeout: 10
              Environment: {Variables: {MODE: deployed}}
              Code: {S3Bucket: code, S3Key: shell.zip}
          NotExecutable:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: not-executable
              Runtime: provided.al2023
              Handler: function.handler
              Role: !GetAtt Role.Arn
              Code: {S3Bucket: code, S3Key: not-executable.zip}
          Python:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: python
              Runtime: python3.12
              Handler: index.handler
              Role: !GetAtt Role.Arn
              Code: {ZipFile: "def handler(event, context):\n    return event\n"}
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: permitted, ProtocolType: HTTP}
          Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Shell.Arn, PayloadFormatVersion: '2.0'}
          Orders:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: GET /orders, Target: !Sub 'integrations/${Integration}'}
          Other:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: GET /other, Target: !Sub 'integrations/${Integration}'}
          AccessLogs:
            Type: AWS::Logs::LogGroup
          Stage:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: $default
              AutoDeploy: true
              AccessLogSettings:
                DestinationArn: !GetAtt AccessLogs.Arn
                Format: '{"requestId":"$context.requestId","status":"$context.status","integrationError":"$context.integrationErrorMessage"}'

          OrdersOnly:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !GetAtt Shell.Arn
              Principal: apigateway.amazonaws.com
              SourceArn: !Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/orders'
        Outputs:
          Endpoint: {Value: !GetAtt Api.ApiEndpoint}
        """;

    private readonly LocalAwsProcess _localAws = TestLocalAws.Process(durable: true, settings: new Dictionary<string, string?>
    {
        [LocalAwsSettings.PathOf(nameof(LocalAwsSettings.LambdaConcurrency))] = "2",
        [LocalAwsSettings.PathOf(nameof(LocalAwsSettings.LambdaIdleTimeoutSeconds))] = "5",
        [LocalAwsSettings.PathOf(nameof(LocalAwsSettings.InvocationQueueTimeoutSeconds))] = "5",
    });

    private readonly StackCalls _stacks;
    private byte[] _shellZip = [];

    public DeployedFunctionTests() => _stacks = new StackCalls(_localAws);
    private HttpClient _lambda = null!;

    public async ValueTask InitializeAsync()
    {
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        await _localAws.StartAsync();
        _lambda = SignedLambdaClient.Create(_localAws.Endpoint, TestPrincipals.Admin);
        _shellZip = TutorialRuntime.Zip(executable: true);
        await _stacks.UploadAsync(Bucket, ("shell.zip", _shellZip), ("not-executable.zip", TutorialRuntime.Zip(executable: false)));
        var (status, _) = await _stacks.DeployAsync("functions", Template);
        Assert.Equal("CREATE_COMPLETE", status);
    }

    public async ValueTask DisposeAsync()
    {
        _lambda?.Dispose();
        await _localAws.DisposeAsync();
    }

    [Fact]
    public async Task A_function_from_an_S3_zip_runs_its_bootstrap_with_Lambdas_environment_and_reports_its_cold_start()
    {
        var (first, firstLog) = await InvokeAsync("shell", """{"n":1}""");
        // A warm start is an invocation that finds the environment polling again; one sent before the runtime's next
        // /next finds it busy and may start another environment, as Lambda does.
        await FunctionHealth.WaitForAsync(_localAws.Endpoint, "shell", "Idle", environments: 1, () => _localAws.Output);
        var (second, secondLog) = await InvokeAsync("shell", """{"n":2}""");

        Assert.Equal(1, first.GetProperty("echo").GetProperty("n").GetInt32());
        Assert.Equal(("shell", "256", "deployed", "function.handler", "ASIA"), (first.GetProperty("name").GetString(), first.GetProperty("memory").GetString(),
            first.GetProperty("mode").GetString(), first.GetProperty("handler").GetString(), first.GetProperty("key").GetString()));
        Assert.True(File.Exists(Path.Combine(first.GetProperty("root").GetString()!, "bootstrap")), "LAMBDA_TASK_ROOT holds the unpacked package");
        Assert.Equal(first.GetProperty("pid").GetInt32(), second.GetProperty("pid").GetInt32());
        Assert.Matches(@"REPORT RequestId: \S+\tDuration: [0-9.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: [0-9.]+ ms", firstLog);
        Assert.DoesNotContain("Init Duration", secondLog, StringComparison.Ordinal);

        using var function = await _lambda.GetAsync(new Uri("/2015-03-31/functions/shell", UriKind.Relative), TestContext.Current.CancellationToken);
        using var configuration = JsonDocument.Parse(await function.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var config = configuration.RootElement.GetProperty("Configuration");
        Assert.Equal(("provided.al2023", "function.handler", Convert.ToBase64String(SHA256.HashData(_shellZip)), (long)_shellZip.Length),
            (config.GetProperty("Runtime").GetString(), config.GetProperty("Handler").GetString(), config.GetProperty("CodeSha256").GetString(), config.GetProperty("CodeSize").GetInt64()));
    }

    [Fact]
    public async Task Beyond_its_concurrency_an_invocation_waits_then_is_throttled_and_idle_environments_stop()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await _lambda.InvokeAsync("shell", """{"sleep":true}""");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.Equal(2, results.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(results.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
            Assert.Contains("Rate Exceeded", r.Body, StringComparison.Ordinal);
        });
        var pids = results.Where(r => r.StatusCode == HttpStatusCode.OK).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("pid").GetInt32()).ToList();
        Assert.Equal(2, pids.Distinct().Count());

        // Idle past the timeout, both stop; the next invocation starts a new one, a cold start again.
        await FunctionHealth.WaitForAsync(_localAws.Endpoint, "shell", "NoEnvironment", diagnostics: () => _localAws.Output);
        foreach (var pid in pids)
        {
            // Taken out of service first, then stopped: the process goes a moment after the state says so.
            Assert.True(await ExitedAsync(pid), $"process {pid} still runs");
        }

        var (next, log) = await InvokeAsync("shell", "{}");
        Assert.DoesNotContain(next.GetProperty("pid").GetInt32(), pids);
        Assert.Contains("Init Duration", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crashed_environment_fails_its_invocation_and_the_next_one_gets_a_new_environment()
    {
        // The first invocation starts the one environment, which it crashes.
        using var crashed = await _lambda.InvokeAsync("shell", """{"crash":true}""");
        Assert.Equal(HttpStatusCode.OK, crashed.StatusCode);
        Assert.Equal("Unhandled", crashed.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Contains("Runtime.ExitError", await crashed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        await FunctionHealth.WaitForAsync(_localAws.Endpoint, "shell", "NoEnvironment", diagnostics: () => _localAws.Output);

        // The next one gets a new environment: a cold start again.
        var (_, log) = await InvokeAsync("shell", "{}");
        Assert.Contains("Init Duration", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runtime_LocalAws_cannot_run_fails_the_invocation_not_the_deploy()
    {
        using var python = await _lambda.InvokeAsync("python", "{}");
        Assert.Equal(HttpStatusCode.BadGateway, python.StatusCode);
        Assert.Equal("InvalidRuntimeException", python.Headers.GetValues("X-Amzn-ErrorType").Single().Split(':')[0]);

        // A bootstrap without its execute bit cannot be started, as in Lambda.
        using var notExecutable = await _lambda.InvokeAsync("not-executable", "{}");
        Assert.Equal("Unhandled", notExecutable.Headers.GetValues("X-Amz-Function-Error").Single());
        Assert.Contains("Runtime.InvalidEntrypoint", await notExecutable.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task API_Gateway_invokes_the_function_only_from_the_route_its_permission_names()
    {
        var (_, outputs) = await _stacks.DescribeAsync("functions");
        using var http = new HttpClient { BaseAddress = new Uri(outputs["Endpoint"]) };

        using var permitted = await http.GetAsync(new Uri("/orders", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, permitted.StatusCode);
        using var refused = await http.GetAsync(new Uri("/other", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Equal("""{"message":"Internal Server Error"}""", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        // The stage's access log says why (it is written once the answer is sent).
        const string Logged = "\"status\":\"500\",\"integrationError\":\"Execution failed due to configuration error: Invalid permissions on Lambda function\"";
        for (var deadline = DateTime.UtcNow.AddSeconds(10); !_localAws.Output.Contains(Logged, StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Contains(Logged, _localAws.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_restart_the_deployed_function_and_its_API_are_served_again_at_the_same_address()
    {
        var (_, outputs) = await _stacks.DescribeAsync("functions");
        var (before, _) = await InvokeAsync("shell", "{}");

        await _localAws.StopAsync();
        Assert.True(await ExitedAsync(before.GetProperty("pid").GetInt32()), "LocalAws's environments stop with it");
        await _localAws.StartAsync();

        using var http = new HttpClient { BaseAddress = new Uri(outputs["Endpoint"]) };
        using var response = await http.GetAsync(new Uri("/orders", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (after, _) = await InvokeAsync("shell", "{}");
        Assert.Equal("deployed", after.GetProperty("mode").GetString());
        Assert.Equal(outputs, (await _stacks.DescribeAsync("functions")).Outputs);
    }

    [Fact]
    public async Task CreateFunctions_checks_fail_the_resource_and_roll_the_stack_back()
    {
        var (noTrust, _) = await _stacks.DeployAsync("no-trust", """
            Resources:
              Role:
                Type: AWS::IAM::Role
                Properties:
                  AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: 'sts:AssumeRole'}]}
              Fn:
                Type: AWS::Lambda::Function
                Properties: {Runtime: provided.al2023, Handler: x, Role: !GetAtt Role.Arn, Code: {S3Bucket: code, S3Key: shell.zip}}
            """);
        Assert.Equal("ROLLBACK_COMPLETE", noTrust);
        Assert.Contains("The role defined for the function cannot be assumed by Lambda.", await _stacks.FailureReasonsAsync("no-trust"), StringComparison.Ordinal);

        var (missing, _) = await _stacks.DeployAsync("missing-code", Template.Replace("shell.zip", "absent.zip", StringComparison.Ordinal).Replace("FunctionName: shell", "FunctionName: shell2", StringComparison.Ordinal)
            .Replace("FunctionName: not-executable", "FunctionName: not-executable2", StringComparison.Ordinal).Replace("FunctionName: python", "FunctionName: python2", StringComparison.Ordinal));
        Assert.Equal("ROLLBACK_COMPLETE", missing);
        Assert.Contains("Error occurred while GetObject. S3 Error Code: NoSuchKey", await _stacks.FailureReasonsAsync("missing-code"), StringComparison.Ordinal);

        var (webSocket, _) = await _stacks.DeployAsync("websocket", """
            Resources:
              Api:
                Type: AWS::ApiGatewayV2::Api
                Properties: {Name: ws, ProtocolType: WEBSOCKET, RouteSelectionExpression: $request.body.action}
            """);
        Assert.Equal("ROLLBACK_COMPLETE", webSocket);
        Assert.Contains("LocalAws serves HTTP APIs only", await _stacks.FailureReasonsAsync("websocket"), StringComparison.Ordinal);
    }

    /// <summary>Whether the process is gone within 5 s (a killed one lingers until it is reaped).</summary>
    private static async Task<bool> ExitedAsync(int pid)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(5); Directory.Exists($"/proc/{pid}") && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return !Directory.Exists($"/proc/{pid}");
    }

    private async Task<(JsonElement Body, string Log)> InvokeAsync(string function, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/2015-03-31/functions/{function}/invocations") { Content = new StringContent(payload) };
        request.Headers.Add("X-Amz-Log-Type", "Tail");
        using var response = await _lambda.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK && !response.Headers.Contains("X-Amz-Function-Error"), $"{response.StatusCode} {body}\n{_localAws.Output}");
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Amz-Log-Result").Single()));
        return (JsonDocument.Parse(body).RootElement.Clone(), log);
    }

}
