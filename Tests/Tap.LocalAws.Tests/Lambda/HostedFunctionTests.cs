using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Amazon.Runtime;
using Tap.LocalAws.Settings;
using Tap.LocalAws.Tests.CloudFormation;
using Tap.Testing;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// A deployed function whose host starts its execution environments (an AppHost's project processes): LocalAws
/// never launches its code, runs it only in the processes registered for it, and hands them the role the function
/// has through its credentials endpoint and token; the stack's API listens on the port its name is given.
/// </summary>
[Trait("Category", "Process")]
public sealed class HostedFunctionTests : IAsyncLifetime
{
    private static readonly string Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private static readonly int ApiPort = TcpPorts.Free();

    private static readonly string Template = """
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
          Hosted:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: hosted
              Runtime: provided.al2023
              Handler: function.handler
              Role: !GetAtt Role.Arn
              Code: {S3Bucket: code, S3Key: shell.zip}
          Launched:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: launched
              Runtime: provided.al2023
              Handler: function.handler
              Role: !GetAtt Role.Arn
              Code: {S3Bucket: code, S3Key: shell.zip}
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties: {Name: hosted-api, ProtocolType: HTTP}
          Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Hosted.Arn, PayloadFormatVersion: '2.0'}
          Route:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: $default, Target: !Sub 'integrations/${Integration}'}
          Stage:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: !Ref Api, StageName: $default, AutoDeploy: true}
          Invoke:
            Type: AWS::Lambda::Permission
            Properties: {Action: 'lambda:InvokeFunction', FunctionName: !Ref Hosted, Principal: apigateway.amazonaws.com}
        Outputs:
          Endpoint: {Value: !GetAtt Api.ApiEndpoint}
          RoleArn: {Value: !GetAtt Role.Arn}
        """;

    private readonly LocalAwsProcess _localAws = TestLocalAws.Process(settings: new LocalAwsSettings
    {
        InvocationQueueTimeoutSeconds = 2,
        HostedFunctions = [new("hosted") { CredentialsToken = Token }],
        ApiPorts = [new("hosted-api", ApiPort)],
    }.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value));

    private Dictionary<string, string> _outputs = [];
    private HttpClient _lambda = null!;

    public async ValueTask InitializeAsync()
    {
        await _localAws.StartAsync();
        _lambda = SignedLambdaClient.Create(_localAws.Endpoint, TestPrincipals.Admin);
        var stacks = new StackCalls(_localAws);
        await stacks.UploadAsync("code", ("shell.zip", TutorialRuntime.Zip(executable: true)));
        (var status, _outputs) = await stacks.DeployAsync("hosted", Template);
        Assert.True(status == "CREATE_COMPLETE", await stacks.FailureReasonsAsync("hosted"));
    }

    public async ValueTask DisposeAsync()
    {
        _lambda?.Dispose();
        await _localAws.DisposeAsync();
    }

    [Fact]
    public void The_stacks_api_listens_on_the_port_its_name_is_given()
    {
        Assert.Equal($"http://127.0.0.1:{ApiPort}", _outputs["Endpoint"]);
    }

    [Fact]
    public async Task A_second_api_given_a_port_in_use_is_refused_and_rolls_its_stack_back()
    {
        var stacks = new StackCalls(_localAws);

        var (status, _) = await stacks.DeployAsync("twice", """
            Resources:
              Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: hosted-api, ProtocolType: HTTP}}
            """);

        Assert.Equal("ROLLBACK_COMPLETE", status);
        Assert.Contains($"The HTTP API hosted-api is given port {ApiPort}, which is in use", await stacks.FailureReasonsAsync("twice"), StringComparison.Ordinal);
        Assert.True(await TcpPorts.AcceptsAsync("127.0.0.1", ApiPort, TestContext.Current.CancellationToken), "the first API keeps its port");
    }

    [Fact]
    public async Task A_hosted_function_runs_only_in_the_processes_its_host_registers()
    {
        using var unserved = await _lambda.InvokeAsync("hosted", """{"n":1}""");

        Assert.NotEqual(HttpStatusCode.OK, unserved.StatusCode);
        Assert.DoesNotContain("Function hosted: started execution environment", _localAws.Output, StringComparison.Ordinal);

        using var runtime = RuntimeProcessTests.StartPythonRuntime(_localAws, "hosted");
        try
        {
            await _localAws.RegisterEnvironmentAsync("hosted", runtime.Id, TestContext.Current.CancellationToken);
            using var api = new HttpClient();
            using var served = await api.GetAsync(new Uri(_outputs["Endpoint"] + "/anything"), TestContext.Current.CancellationToken);
            using var launched = await _lambda.InvokeAsync("launched", """{"n":2}""");

            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            using var echo = JsonDocument.Parse(await served.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(runtime.Id, echo.RootElement.GetProperty("pid").GetInt32());
            Assert.Equal(HttpStatusCode.OK, launched.StatusCode);
            Assert.Contains("Function launched: started execution environment", _localAws.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Function hosted: started execution environment", _localAws.Output, StringComparison.Ordinal);
        }
        finally
        {
            runtime.Kill();
        }
    }

    [Fact]
    public async Task Its_processes_get_the_functions_role_with_its_token_and_nobody_else_does()
    {
        using var http = new HttpClient { BaseAddress = _localAws.Endpoint };

        using var missing = await http.GetAsync(new Uri("/_localaws/functions/hosted/credentials", UriKind.Relative), TestContext.Current.CancellationToken);
        using var wrong = await CredentialsAsync(http, "hosted", Token[..^1]);
        using var notHosted = await CredentialsAsync(http, "launched", Token);
        using var granted = await CredentialsAsync(http, "hosted", Token);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (missing.StatusCode, wrong.StatusCode, notHosted.StatusCode));
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        using var body = JsonDocument.Parse(await granted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var credentials = body.RootElement;
        Assert.Equal(_outputs["RoleArn"], credentials.GetProperty("RoleArn").GetString());
        Assert.StartsWith("ASIA", credentials.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);

        using var sts = SignedHttpClient.Create(
            new ImmutableCredentials(credentials.GetProperty("AccessKeyId").GetString(), credentials.GetProperty("SecretAccessKey").GetString(), credentials.GetProperty("Token").GetString()),
            "sts", _localAws.Endpoint);
        using var form = new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        using var identity = await sts.PostAsync(new Uri("/", UriKind.Relative), form, TestContext.Current.CancellationToken);
        var arn = XDocument.Parse(await identity.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Descendants(StsQuery.Ns + "Arn").Single().Value;
        Assert.EndsWith($":assumed-role/{_outputs["RoleArn"].Split('/')[^1]}/hosted", arn, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> CredentialsAsync(HttpClient http, string function, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/_localaws/functions/{function}/credentials");
        request.Headers.TryAddWithoutValidation("Authorization", token);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
