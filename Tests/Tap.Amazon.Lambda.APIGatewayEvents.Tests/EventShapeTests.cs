using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Tap.Aws.Lambda.APIGatewayEvents;

namespace Tap.Amazon.Lambda.APIGatewayEvents.Tests;

public sealed class EventShapeTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void The_documented_payload_2_event_reads_into_the_official_names()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Events", "http-api-v2-documented.json"));

        var request = JsonSerializer.Deserialize<APIGatewayHttpApiV2ProxyRequest>(text, Json)!;

        Assert.Equal(("2.0", "$default", "/my/path"), (request.Version, request.RouteKey, request.RawPath));
        Assert.Equal("parameter1=value1&parameter1=value2&parameter2=value", request.RawQueryString);
        Assert.Equal(["cookie1", "cookie2"], request.Cookies!);
        Assert.Equal("value1,value2", request.Headers!["header2"]);
        Assert.Equal("value1,value2", request.QueryStringParameters!["parameter1"]);
        Assert.Equal(("123456789012", "api-id"), (request.RequestContext!.AccountId, request.RequestContext.ApiId));
    }

    [Fact]
    public void A_response_writes_the_payload_2_field_names()
    {
        var response = new APIGatewayHttpApiV2ProxyResponse { StatusCode = 201, Body = "e30=", IsBase64Encoded = true, Cookies = ["a=b"] };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(response, Json));

        Assert.Equal(201, json.RootElement.GetProperty("statusCode").GetInt32());
        Assert.True(json.RootElement.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("a=b", json.RootElement.GetProperty("cookies")[0].GetString());
    }

    [Theory]
    [InlineData("text/plain", true)]
    [InlineData("Application/JSON; charset=utf-8", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("application/xml", true)]
    [InlineData("application/x-www-form-urlencoded", true)]
    [InlineData("image/png", false)]
    [InlineData("application/octet-stream", false)]
    [InlineData(null, false)]
    public void Text_bodies_are_told_from_binary_ones(string? contentType, bool text) => Assert.Equal(text, TextMediaTypes.IsText(contentType));
}
