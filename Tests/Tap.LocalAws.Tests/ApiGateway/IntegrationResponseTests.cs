using System.Text;
using Tap.LocalAws.ApiGateway;

namespace Tap.LocalAws.Tests.ApiGateway;

/// <summary>How the gateway reads a function's answer under payload 2.0, with AWS's documented examples.</summary>
public sealed class IntegrationResponseTests
{
    [Theory]
    [InlineData("\"Hello from Lambda!\"", "Hello from Lambda!")]
    [InlineData("{\"message\":\"Hello from Lambda!\"}", "{\"message\":\"Hello from Lambda!\"}")]
    [InlineData("[1,2]", "[1,2]")]
    public void Without_a_statusCode_the_response_is_inferred_as_200_JSON(string payload, string body)
    {
        var response = IntegrationResponse.Parse(Encoding.UTF8.GetBytes(payload))!;

        Assert.Equal(200, response.StatusCode);
        Assert.Equal([new("content-type", "application/json")], response.Headers);
        Assert.Equal(body, Encoding.UTF8.GetString(response.Body));
    }

    [Fact]
    public void The_response_format_carries_status_headers_cookies_and_a_base64_body()
    {
        var payload = """{"statusCode":201,"headers":{"x-id":"7","x-count":3},"cookies":["a=b; Secure","c=d"],"body":"aGk=","isBase64Encoded":true}""";

        var response = IntegrationResponse.Parse(Encoding.UTF8.GetBytes(payload))!;

        Assert.Equal(201, response.StatusCode);
        Assert.Equal([new("x-id", "7"), new("x-count", "3")], response.Headers);
        Assert.Equal(["a=b; Secure", "c=d"], response.Cookies);
        Assert.Equal("hi", Encoding.UTF8.GetString(response.Body));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"statusCode\":\"two hundred\"}")]
    [InlineData("{\"statusCode\":99}")]
    [InlineData("{\"statusCode\":100}")]
    [InlineData("{\"statusCode\":101}")]
    [InlineData("{\"statusCode\":103}")]
    [InlineData("{\"statusCode\":200,\"headers\":{\"x\":\"a\\r\\nSet-Cookie: b\"}}")]
    [InlineData("{\"statusCode\":200,\"headers\":{\"bad name\":\"a\"}}")]
    [InlineData("{\"statusCode\":200,\"headers\":{\"x\":\"caf\u00e9\"}}")]
    [InlineData("{\"statusCode\":200,\"cookies\":[\"a=b\\nc\"]}")]
    [InlineData("{\"statusCode\":200,\"headers\":{\"x\":{}}}")]
    [InlineData("{\"statusCode\":200,\"body\":\"%%%\",\"isBase64Encoded\":true}")]
    [InlineData("{\"statusCode\":200,\"cookies\":[null]}")]
    [InlineData("{\"statusCode\":200,\"body\":5}")]
    public void An_answer_that_is_neither_format_is_no_answer(string payload) =>
        Assert.Null(IntegrationResponse.Parse(Encoding.UTF8.GetBytes(payload)));
}
