using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;

namespace Tap.Integration.Tests;

/// <summary>
/// What runs locally is the synthesized template: every route, grant and limit LocalAws serves, read back through
/// its own APIs (CloudFormation, API Gateway, Lambda, IAM) as LocalAws's admin, equals the template's.
/// </summary>
[Trait("Category", "Process")]
public sealed class DeployedTemplateTests(TapAppFixture fixture) : IAsyncLifetime
{
    private static readonly XNamespace Iam = "https://iam.amazonaws.com/doc/2010-05-08/";
    private static readonly XNamespace CloudFormation = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private JsonElement _template;
    private Amazon.Runtime.ImmutableCredentials _admin = null!;
    private Dictionary<string, (string Type, string PhysicalId, string Status)> _deployed = [];

    public async ValueTask InitializeAsync()
    {
        using var template = JsonDocument.Parse(await File.ReadAllTextAsync(fixture.Stack.TemplatePath));
        _template = template.RootElement.Clone();
        _admin = await fixture.AdminCredentialsAsync();
        var resources = await QueryAsync("cloudformation", "DescribeStackResources", CloudFormation, ("Version", "2010-05-15"), ("StackName", fixture.Stack.StackName));
        _deployed = resources.Descendants(CloudFormation + "member").ToDictionary(
            m => m.Element(CloudFormation + "LogicalResourceId")!.Value,
            m => (m.Element(CloudFormation + "ResourceType")!.Value, m.Element(CloudFormation + "PhysicalResourceId")!.Value, m.Element(CloudFormation + "ResourceStatus")!.Value),
            StringComparer.Ordinal);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public void Every_unconditional_resource_of_the_template_is_deployed_and_complete()
    {
        // A resource under a condition (the alarm e-mail's subscription, without an AlarmEmail) may rightly be absent.
        var declared = _template.GetProperty("Resources").EnumerateObject()
            .Where(r => r.Value.GetProperty("Type").GetString() != "AWS::CDK::Metadata" && !r.Value.TryGetProperty("Condition", out _))
            .ToDictionary(r => r.Name, r => r.Value.GetProperty("Type").GetString(), StringComparer.Ordinal);

        Assert.Equal(declared.Keys.Order(StringComparer.Ordinal), _deployed.Keys.Where(declared.ContainsKey).Order(StringComparer.Ordinal));
        Assert.All(declared, r => Assert.Equal(r.Value, _deployed[r.Key].Type));
        Assert.All(_deployed.Values, r => Assert.EndsWith("_COMPLETE", r.Status, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_http_api_serves_the_templates_routes_authorization_stage_throttle_access_log_and_cors()
    {
        var (apiLogicalId, api) = Single("AWS::ApiGatewayV2::Api");
        var apiId = _deployed[apiLogicalId].PhysicalId;
        using var gateway = Client("apigateway");

        var served = await gateway.GetFromJsonAsync<JsonElement>(Url($"/v2/apis/{apiId}"), TestContext.Current.CancellationToken);
        var routes = await gateway.GetFromJsonAsync<JsonElement>(Url($"/v2/apis/{apiId}/routes"), TestContext.Current.CancellationToken);
        var stages = await gateway.GetFromJsonAsync<JsonElement>(Url($"/v2/apis/{apiId}/stages"), TestContext.Current.CancellationToken);

        Assert.Equal(api.GetProperty("Name").GetString(), served.GetProperty("name").GetString());
        Assert.Equal(
            Of("AWS::ApiGatewayV2::Route").Select(r => (r.GetProperty("RouteKey").GetString(), r.GetProperty("AuthorizationType").GetString())).Order(),
            routes.GetProperty("items").EnumerateArray().Select(r => (r.GetProperty("routeKey").GetString(), r.GetProperty("authorizationType").GetString())).Order());

        var (_, stage) = Single("AWS::ApiGatewayV2::Stage");
        var servedStage = Assert.Single(stages.GetProperty("items").EnumerateArray());
        var limits = stage.GetProperty("DefaultRouteSettings");
        var servedLimits = servedStage.GetProperty("defaultRouteSettings");
        Assert.Equal(stage.GetProperty("StageName").GetString(), servedStage.GetProperty("stageName").GetString());
        Assert.Equal(limits.GetProperty("ThrottlingRateLimit").GetDouble(), servedLimits.GetProperty("throttlingRateLimit").GetDouble());
        Assert.Equal(limits.GetProperty("ThrottlingBurstLimit").GetInt32(), servedLimits.GetProperty("throttlingBurstLimit").GetInt32());
        Assert.Equal(limits.GetProperty("DetailedMetricsEnabled").GetBoolean(), servedLimits.GetProperty("detailedMetricsEnabled").GetBoolean());
        Assert.Equal(stage.GetProperty("AccessLogSettings").GetProperty("Format").GetString(), servedStage.GetProperty("accessLogSettings").GetProperty("format").GetString());

        var cors = api.GetProperty("CorsConfiguration");
        var servedCors = served.GetProperty("corsConfiguration");
        foreach (var (declared, shown) in new[] { ("AllowOrigins", "allowOrigins"), ("AllowMethods", "allowMethods"), ("AllowHeaders", "allowHeaders") })
        {
            Assert.Equal(Strings(cors.GetProperty(declared)), Strings(servedCors.GetProperty(shown)));
        }

        Assert.Equal(cors.GetProperty("MaxAge").GetInt32(), servedCors.GetProperty("maxAge").GetInt32());
    }

    [Fact]
    public async Task The_function_has_the_templates_memory_timeout_runtime_environment_and_role()
    {
        var (_, function) = Single("AWS::Lambda::Function");
        using var lambda = Client("lambda");

        var served = await lambda.GetFromJsonAsync<JsonElement>(Url($"/2015-03-31/functions/{fixture.FunctionName}/configuration"), TestContext.Current.CancellationToken);

        Assert.Equal(function.GetProperty("FunctionName").GetString(), served.GetProperty("FunctionName").GetString());
        Assert.Equal(function.GetProperty("MemorySize").GetInt32(), served.GetProperty("MemorySize").GetInt32());
        Assert.Equal(function.GetProperty("Timeout").GetInt32(), served.GetProperty("Timeout").GetInt32());
        Assert.Equal((function.GetProperty("Runtime").GetString(), function.GetProperty("Handler").GetString()),
            (served.GetProperty("Runtime").GetString(), served.GetProperty("Handler").GetString()));
        Assert.Equal(
            function.GetProperty("Environment").GetProperty("Variables").EnumerateObject().Select(v => v.Name).Order(StringComparer.Ordinal),
            served.GetProperty("Environment").GetProperty("Variables").EnumerateObject().Select(v => v.Name).Order(StringComparer.Ordinal));
        Assert.Equal(fixture.StackOutput("SecretArn"), served.GetProperty("Environment").GetProperty("Variables").GetProperty("SECRET_ID").GetString());
        var role = function.GetProperty("Role").GetProperty("Fn::GetAtt")[0].GetString()!;
        Assert.EndsWith(":role/" + _deployed[role].PhysicalId, served.GetProperty("Role").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_function_role_holds_the_templates_grants_on_the_stacks_secret_and_the_invoker_policy_only_invoke()
    {
        var (_, policy) = Single("AWS::IAM::Policy");
        var role = policy.GetProperty("Roles")[0].GetProperty("Ref").GetString()!;

        var document = await QueryAsync("iam", "GetRolePolicy", Iam, ("Version", "2010-05-08"), ("RoleName", _deployed[role].PhysicalId), ("PolicyName", policy.GetProperty("PolicyName").GetString()!));
        using var served = JsonDocument.Parse(Uri.UnescapeDataString(document.Descendants(Iam + "PolicyDocument").Single().Value));

        var declared = policy.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToList();
        var statements = served.RootElement.GetProperty("Statement").EnumerateArray().ToList();
        Assert.Equal(declared.Select(s => Strings(s.GetProperty("Action"))), statements.Select(s => Strings(s.GetProperty("Action"))));
        var secretStatement = statements.Single(s => s.GetProperty("Action").ToString().Contains("secretsmanager:", StringComparison.Ordinal));
        Assert.Equal(fixture.StackOutput("SecretArn"), secretStatement.GetProperty("Resource").GetString());

        var (invokeId, invoke) = Single("AWS::IAM::ManagedPolicy");
        var arn = _deployed[invokeId].PhysicalId;
        var version = await QueryAsync("iam", "GetPolicy", Iam, ("Version", "2010-05-08"), ("PolicyArn", arn));
        var versionId = version.Descendants(Iam + "DefaultVersionId").Single().Value;
        var invokeDocument = await QueryAsync("iam", "GetPolicyVersion", Iam, ("Version", "2010-05-08"), ("PolicyArn", arn), ("VersionId", versionId));
        using var servedInvoke = JsonDocument.Parse(Uri.UnescapeDataString(invokeDocument.Descendants(Iam + "Document").Single().Value));
        Assert.Equal(
            invoke.GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().Select(s => Strings(s.GetProperty("Action"))),
            servedInvoke.RootElement.GetProperty("Statement").EnumerateArray().Select(s => Strings(s.GetProperty("Action"))));
        Assert.Equal(fixture.StackOutput("InvokePolicyArn"), arn);
    }

    private IEnumerable<JsonElement> Of(string type) => _template.GetProperty("Resources").EnumerateObject()
        .Where(r => r.Value.GetProperty("Type").GetString() == type)
        .Select(r => r.Value.GetProperty("Properties"));

    /// <summary>The template's one resource of <paramref name="type"/>: its logical id and its properties.</summary>
    private (string LogicalId, JsonElement Properties) Single(string type)
    {
        var resource = Assert.Single(_template.GetProperty("Resources").EnumerateObject(), r => r.Value.GetProperty("Type").GetString() == type);
        return (resource.Name, resource.Value.GetProperty("Properties"));
    }

    private static List<string> Strings(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select(v => v.GetString()!).Order(StringComparer.Ordinal)] : [value.GetString()!];

    private Uri Url(string path) => new($"{fixture.LocalAws.PrimaryEndpoint.Url}{path}");

    private HttpClient Client(string service) => TapAppFixture.SignedClient(_admin, fixture.Region, service);

    /// <summary>One AWS Query call (IAM, CloudFormation) as LocalAws's admin; its XML answer.</summary>
    private async Task<XDocument> QueryAsync(string service, string action, XNamespace ns, params (string Name, string Value)[] parameters)
    {
        using var client = Client(service);
        using var content = new FormUrlEncodedContent([new("Action", action), .. parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))]);
        using var response = await client.PostAsync(Url("/"), content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {body}");
        var document = XDocument.Parse(body);
        Assert.Equal(ns, document.Root!.Name.Namespace);
        return document;
    }
}
