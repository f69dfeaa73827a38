using System.Net;
using System.Text.Json;
using Tap.LocalAws.Tests.CloudFormation;
using Tap.LocalAws.Tests.Lambda;
using Tap.Testing;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>
/// HTTP APIs made by CloudFormation (<c>AWS::ApiGatewayV2::Api</c>, <c>Integration</c>, <c>Route</c>, <c>Stage</c>),
/// live at their <c>ApiEndpoint</c>: routes with <c>AWS_IAM</c> or <c>NONE</c>, the stage's throttle and path, CORS,
/// a stage that does not auto-deploy, a route changed by a stack update, the host bound to the API, and what API
/// Gateway refuses. The function is AWS's tutorial runtime; LocalAws runs as its own process.
/// </summary>
[Trait("Category", "Process")]
public sealed class DeployedHttpApiTests : IAsyncLifetime
{
    private const string Template = """
        Parameters:
          ItemsRoute: {Type: String, Default: 'GET /items/{id}'}
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: 'sts:AssumeRole'}]}
          Echo:
            Type: AWS::Lambda::Function
            Properties:
              Runtime: provided.al2023
              Handler: function.handler
              Role: !GetAtt Role.Arn
              Code: {S3Bucket: code, S3Key: echo.zip}
          Api:
            Type: AWS::ApiGatewayV2::Api
            Properties:
              Name: echo-api
              ProtocolType: HTTP
              CorsConfiguration: {AllowOrigins: ['https://app.example'], AllowMethods: [GET], AllowHeaders: [authorization], MaxAge: 600}
          Integration:
            Type: AWS::ApiGatewayV2::Integration
            Properties: {ApiId: !Ref Api, IntegrationType: AWS_PROXY, IntegrationUri: !GetAtt Echo.Arn, PayloadFormatVersion: '2.0'}
          Items:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: !Ref ItemsRoute, AuthorizationType: AWS_IAM, Target: !Sub 'integrations/${Integration}'}
          Open:
            Type: AWS::ApiGatewayV2::Route
            Properties: {ApiId: !Ref Api, RouteKey: 'GET /open', Target: !Sub 'integrations/${Integration}'}
          Prod:
            Type: AWS::ApiGatewayV2::Stage
            Properties:
              ApiId: !Ref Api
              StageName: prod
              AutoDeploy: true
              DefaultRouteSettings: {ThrottlingRateLimit: 1, ThrottlingBurstLimit: 5}
          Manual:
            Type: AWS::ApiGatewayV2::Stage
            Properties: {ApiId: !Ref Api, StageName: manual}
          Invoke:
            Type: AWS::Lambda::Permission
            Properties:
              Action: lambda:InvokeFunction
              FunctionName: !GetAtt Echo.Arn
              Principal: apigateway.amazonaws.com
              SourceArn: !Sub 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/*/*/*'
        Outputs:
          Endpoint: {Value: !GetAtt Api.ApiEndpoint}
          ApiId: {Value: !GetAtt Api.ApiId}
          Ref: {Value: !Ref Api}
          Stage: {Value: !Ref Prod}
        """;

    private readonly LocalAwsProcess _localAws = TestLocalAws.Process();
    private readonly StackCalls _stacks;
    private Dictionary<string, string> _outputs = [];

    public DeployedHttpApiTests() => _stacks = new StackCalls(_localAws);

    public async ValueTask InitializeAsync()
    {
        Assert.SkipUnless(ExternalProcess.Exists("curl"), "Missing tool: curl is not on PATH; install it (Debian: apt-get install curl) to run this test.");
        await _localAws.StartAsync();
        await _stacks.UploadAsync("code", ("echo.zip", TutorialRuntime.Zip(executable: true)));
        (var status, _outputs) = await _stacks.DeployAsync("api", Template);
        Assert.Equal("CREATE_COMPLETE", status);
    }

    public ValueTask DisposeAsync() => _localAws.DisposeAsync();

    private async Task<JsonDocument> CliJsonAsync(string cli, params string[] arguments)
    {
        var result = await AwsCli.RunProgramAsync(cli, _localAws.Endpoint, TestPrincipals.Admin, null, [.. arguments, "--output", "json"]);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output);
    }

    [Fact]
    public void ApiEndpoint_is_the_address_LocalAws_serves_the_API_on_and_Ref_is_its_id()
    {
        Assert.Matches(@"^http://127\.0\.0\.1:\d+$", _outputs["Endpoint"]);
        Assert.Matches("^[a-z0-9]{10}$", _outputs["ApiId"]);
        Assert.Equal(_outputs["ApiId"], _outputs["Ref"]);
        Assert.Equal("prod", _outputs["Stage"]);
    }

    public static TheoryData<string> Clis => new("aws", "/usr/bin/aws");

    [Theory]
    [MemberData(nameof(Clis))]
    public async Task The_AWS_CLI_reads_the_api_its_routes_and_stages_back_and_only_with_apigateway_GET(string cli)
    {
        Assert.SkipUnless(ExternalProcess.Exists(cli), $"Missing tool: the AWS CLI at {cli}; install it (Debian: apt-get install awscli gives v2 at /usr/bin/aws) to run this test.");
        var apiId = _outputs["ApiId"];

        using var apis = await CliJsonAsync(cli, "apigatewayv2", "get-apis");
        var api = Assert.Single(apis.RootElement.GetProperty("Items").EnumerateArray());
        Assert.Equal((apiId, "echo-api", "HTTP", _outputs["Endpoint"]), (api.GetProperty("ApiId").GetString(), api.GetProperty("Name").GetString(),
            api.GetProperty("ProtocolType").GetString(), api.GetProperty("ApiEndpoint").GetString()));
        var cors = api.GetProperty("CorsConfiguration");
        Assert.Equal(["https://app.example"], cors.GetProperty("AllowOrigins").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal(600, cors.GetProperty("MaxAge").GetInt32());

        using var routes = await CliJsonAsync(cli, "apigatewayv2", "get-routes", "--api-id", apiId);
        Assert.Equal([("GET /items/{id}", "AWS_IAM"), ("GET /open", "NONE")], routes.RootElement.GetProperty("Items").EnumerateArray()
            .Select(r => (r.GetProperty("RouteKey").GetString(), r.GetProperty("AuthorizationType").GetString())).Order());

        using var stages = await CliJsonAsync(cli, "apigatewayv2", "get-stages", "--api-id", apiId);
        var prod = stages.RootElement.GetProperty("Items").EnumerateArray().Single(st => st.GetProperty("StageName").GetString() == "prod");
        var throttle = prod.GetProperty("DefaultRouteSettings");
        Assert.Equal((1.0, 5, true), (throttle.GetProperty("ThrottlingRateLimit").GetDouble(), throttle.GetProperty("ThrottlingBurstLimit").GetInt32(), prod.GetProperty("AutoDeploy").GetBoolean()));

        var missing = await AwsCli.RunProgramAsync(cli, _localAws.Endpoint, TestPrincipals.Admin, null, "apigatewayv2", "get-routes", "--api-id", "nosuchapi0");
        Assert.Contains("NotFoundException", missing.Error, StringComparison.Ordinal);
        var denied = await AwsCli.RunProgramAsync(cli, _localAws.Endpoint, TestPrincipals.Reader, null, "apigatewayv2", "get-apis");
        Assert.Contains("AccessDenied", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_AWS_IAM_route_admits_signed_callers_allowed_to_invoke_and_the_function_sees_the_route()
    {
        using var unsigned = new HttpClient();
        using var refused = await unsigned.GetAsync(Url("/prod/items/7"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("""{"message":"Forbidden"}""", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var signed = SignedHttpClient.Create(TestPrincipals.Admin, "execute-api");
        using var admitted = await signed.GetAsync(Url("/prod/items/7"), TestContext.Current.CancellationToken);
        var body = await admitted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        using var echo = JsonDocument.Parse(body);
        var lambdaEvent = echo.RootElement.GetProperty("echo");
        Assert.Equal(("GET /items/{id}", "7", "prod", _outputs["ApiId"]), (lambdaEvent.GetProperty("routeKey").GetString(),
            lambdaEvent.GetProperty("pathParameters").GetProperty("id").GetString(), lambdaEvent.GetProperty("requestContext").GetProperty("stage").GetString(),
            lambdaEvent.GetProperty("requestContext").GetProperty("apiId").GetString()));
        Assert.Equal($"arn:aws:iam::{TestPrincipals.AccountId}:user/admin", lambdaEvent.GetProperty("requestContext").GetProperty("authorizer").GetProperty("iam").GetProperty("userArn").GetString());

        // A NONE route needs no signature; a path no route matches, and another stage's, are API Gateway's 404.
        using var open = await unsigned.GetAsync(Url("/prod/open"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        using var missing = await unsigned.GetAsync(Url("/prod/nowhere"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var otherStage = await unsigned.GetAsync(Url("/staging/open"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, otherStage.StatusCode);
    }

    [Fact]
    public async Task The_stage_throttles_past_its_burst_and_answers_CORS_preflights()
    {
        using var http = new HttpClient();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await http.GetAsync(Url("/prod/open"), TestContext.Current.CancellationToken);
            return (int)response.StatusCode;
        }));
        Assert.InRange(statuses.Count(s => s == 200), 5, 6);
        Assert.All(statuses, s => Assert.True(s is 200 or 429, $"status {s}"));

        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Url("/prod/items/7"));
        preflight.Headers.Add("Origin", "https://app.example");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        using var answer = await http.SendAsync(preflight, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal("https://app.example", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("600", answer.Headers.GetValues("Access-Control-Max-Age").Single());
    }

    [Fact]
    public async Task A_stage_that_does_not_auto_deploy_serves_nothing()
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(Url("/manual/open"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_stack_update_changes_the_route_live_and_the_signature_stays_bound_to_the_API()
    {
        var (status, outputs) = await _stacks.UpdateAsync("api", Template.Replace("Default: 'GET /items/{id}'", "Default: 'GET /things/{id}'", StringComparison.Ordinal));
        Assert.Equal("UPDATE_COMPLETE", status);
        Assert.Equal(_outputs["Endpoint"], outputs["Endpoint"]);

        using var signed = SignedHttpClient.Create(TestPrincipals.Admin, "execute-api");
        using var moved = await signed.GetAsync(Url("/prod/things/1"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        using var gone = await signed.GetAsync(Url("/prod/items/1"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // The signature covers Host: a request naming another API's host is refused here.
        using var wrongHost = new HttpRequestMessage(HttpMethod.Get, Url("/prod/things/1"));
        wrongHost.Headers.Host = $"otherapi01.execute-api.us-east-1.amazonaws.com:{new Uri(_outputs["Endpoint"]).Port}";
        using var refused = await signed.SendAsync(wrongHost, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("RouteKey: !Ref ItemsRoute", "RouteKey: 'GET items'", "is not a route key")]
    [InlineData("IntegrationType: AWS_PROXY", "IntegrationType: HTTP_PROXY", "LocalAws serves Lambda proxy integrations (AWS_PROXY) only")]
    [InlineData("PayloadFormatVersion: '2.0'", "PayloadFormatVersion: '1.0'", "payload format 2.0 events only")]
    [InlineData("Target: !Sub 'integrations/${Integration}'}", "Target: integrations/nope000001}", "Invalid target specified")]
    [InlineData("AuthorizationType: AWS_IAM", "AuthorizationType: JWT", "NONE or AWS_IAM only")]
    public async Task What_API_Gateway_refuses_fails_the_resource_and_rolls_the_stack_back(string original, string replacement, string reason)
    {
        var template = Template.Replace(original, replacement, StringComparison.Ordinal);
        Assert.NotEqual(Template, template);
        var (status, _) = await _stacks.DeployAsync("refused", template);
        Assert.Equal("ROLLBACK_COMPLETE", status);
        Assert.Contains(reason, await _stacks.FailureReasonsAsync("refused"), StringComparison.Ordinal);
    }

    private Uri Url(string path) => new(_outputs["Endpoint"] + path);
}
