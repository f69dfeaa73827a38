using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Tap.Definition;
using Tap.LocalAws.ApiGateway;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary><c>LocalAws:HttpApis</c> as the settings writer writes it, and the settings API Gateway would refuse.</summary>
public sealed class HttpApiConfigurationTests
{
    private static readonly LambdaFunction[] Functions =
        [new("fn", "arn:aws:lambda:us-east-1:000000000000:function:fn", TestPrincipals.RoleArn, 3, 128, false, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch)];

    [Fact]
    public void The_writers_settings_load_as_written()
    {
        var settings = new LocalAwsHttpApiSettings("orders", [new LocalAwsRouteSettings("GET /orders/{id}", "fn") { AuthorizationType = "NONE", TimeoutInMillis = 500 }])
        {
            Url = "http://127.0.0.1:4100",
            Stage = "v1",
            Throttle = new LocalAwsThrottleSettings(2.5, 7),
            Cors = new LocalAwsCorsSettings { AllowOrigins = ["https://a.example"], AllowCredentials = true, MaxAge = 60 },
            AccessLogFormat = "$context.requestId",
        };

        var api = Assert.Single(Load(new LocalAwsSettings { HttpApis = [settings] }));

        Assert.Equal(("orders", "v1", 4100), (api.Name, api.Stage, api.Url.Port));
        Assert.Equal(LocalAwsHttpApiSettings.DefaultApiId("orders"), api.ApiId);
        Assert.Matches("^[a-z0-9]{10}$", api.ApiId);
        Assert.Equal(new ThrottleLimits(2.5, 7), api.Throttle);
        Assert.Equal("$context.requestId", api.AccessLogFormat.Text);
        var route = Assert.Single(api.Routes.Routes);
        Assert.Equal(("GET /orders/{id}", false, TimeSpan.FromMilliseconds(500)), (route.Key.Text, route.RequiresIam, route.Timeout));
    }

    [Fact]
    public void Unset_values_take_API_Gateways_defaults()
    {
        var api = Assert.Single(Load(new LocalAwsSettings { HttpApis = [new("api", [new LocalAwsRouteSettings("$default", "fn")])] }));

        Assert.Equal((HttpApi.DefaultStage, 4000), (api.Stage, api.Url.Port));
        Assert.False(api.Routes.Routes[0].RequiresIam);
        Assert.Equal(TimeSpan.FromSeconds(30), api.Routes.Routes[0].Timeout);
        Assert.Null(api.Throttle);
        Assert.Null(api.Cors);
    }

    [Theory]
    [InlineData("RouteKey", "GET orders")]
    [InlineData("Function", "missing")]
    [InlineData("AuthorizationType", "JWT")]
    [InlineData("TimeoutInMillis", "30001")]
    public void A_route_API_Gateway_would_refuse_stops_the_start_naming_the_setting(string key, string value)
    {
        var route = new LocalAwsRouteSettings("GET /orders", "fn");
        route = key switch
        {
            "RouteKey" => route with { RouteKey = value },
            "Function" => route with { Function = value },
            "AuthorizationType" => route with { AuthorizationType = value },
            _ => route with { TimeoutInMillis = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) },
        };

        var error = Assert.Throws<InvalidOperationException>(() => Load(new LocalAwsSettings { HttpApis = [new("api", [route])] }));

        Assert.Contains($"LocalAws:HttpApis:0:Routes:0:{key}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Clashing_APIs_half_a_throttle_and_credentials_for_every_origin_are_refused()
    {
        LocalAwsRouteSettings[] routes = [new("$default", "fn")];
        Assert.Contains("clashes with the API a", Assert.Throws<InvalidOperationException>(() =>
            Load(new LocalAwsSettings { HttpApis = [new("a", routes), new("b", routes)] })).Message, StringComparison.Ordinal);

        var halfThrottle = new Dictionary<string, string?>
        {
            ["LocalAws:HttpApis:0:Name"] = "a",
            ["LocalAws:HttpApis:0:Routes:0:RouteKey"] = "$default",
            ["LocalAws:HttpApis:0:Routes:0:Function"] = "fn",
            ["LocalAws:HttpApis:0:Throttle:RateLimit"] = "5"
        };
        Assert.Contains("LocalAws:HttpApis:0:Throttle:BurstLimit", Assert.Throws<InvalidOperationException>(() => Load(halfThrottle)).Message, StringComparison.Ordinal);

        var wildcardWithCredentials = new LocalAwsHttpApiSettings("a", routes) { Cors = new LocalAwsCorsSettings { AllowOrigins = ["*"], AllowCredentials = true } };
        Assert.Contains("Cors:AllowCredentials", Assert.Throws<InvalidOperationException>(() =>
            Load(new LocalAwsSettings { HttpApis = [wildcardWithCredentials] })).Message, StringComparison.Ordinal);

        Assert.Contains("Stage", Assert.Throws<InvalidOperationException>(() =>
            Load(new LocalAwsSettings { HttpApis = [new("a", routes) { Stage = "no/slashes" }] })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_example_configuration_serves_the_definitions_API()
    {
        using var example = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "localaws.example.json")));
        var api = example.RootElement.GetProperty("LocalAws").GetProperty("HttpApis")[0];

        Assert.Equal(TapApplication.HttpApi.Name, api.GetProperty("Name").GetString());
        Assert.Equal(TapApplication.HttpApi.Stage, api.GetProperty("Stage").GetString());
        Assert.Equal(TapApplication.HttpApi.AccessLogFormat, api.GetProperty("AccessLogFormat").GetString());
        Assert.Equal(TapApplication.HttpApi.Routes.Select(r => r.RouteKey), api.GetProperty("Routes").EnumerateArray().Select(r => r.GetProperty("RouteKey").GetString()));
        Assert.Equal(TapApplication.HttpApi.Throttle.BurstLimit, api.GetProperty("Throttle").GetProperty("BurstLimit").GetInt32());
        Assert.Equal(TapApplication.HttpApi.Cors.AllowHeaders, api.GetProperty("Cors").GetProperty("AllowHeaders").EnumerateArray().Select(h => h.GetString()));
    }

    private static IReadOnlyList<HttpApi> Load(LocalAwsSettings settings) =>
        Load(settings.ToConfiguration().ToDictionary(s => s.Key, s => (string?)s.Value));

    private static IReadOnlyList<HttpApi> Load(Dictionary<string, string?> settings) =>
        HttpApiConfiguration.Load(LocalAwsSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()), Functions);
}
