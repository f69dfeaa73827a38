using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.AspNetCoreServer.Hosting.Http;
using Microsoft.AspNetCore.Http;

namespace Tap.Aws.Lambda.Hosting.Tests;

/// <summary>App responses → the exact payload 2.0 response JSON.</summary>
public sealed class ResponseMappingTests
{
    private static string Json(LambdaResponseFeature response) =>
        JsonSerializer.Serialize(HttpApiV2ResponseMapper.Map(response), LambdaEventJsonContext.Default.APIGatewayHttpApiV2ProxyResponse);

    [Fact]
    public void A_JSON_response_is_sent_as_text()
    {
        var response = new LambdaResponseFeature { StatusCode = 201 };
        response.Headers.ContentType = "application/json; charset=utf-8";
        response.Headers["X-Request-ID"] = "r1";
        response.Buffer.Write("""{"ok":true}"""u8);

        Assert.Equal(
            """{"statusCode":201,"headers":{"Content-Type":"application/json; charset=utf-8","X-Request-ID":"r1"},"body":"{\u0022ok\u0022:true}","isBase64Encoded":false}""",
            Json(response));
    }

    [Fact]
    public void Set_Cookie_goes_to_cookies_and_repeated_headers_are_comma_joined()
    {
        var response = new LambdaResponseFeature();
        response.Headers.Append("Set-Cookie", "a=1; Path=/");
        response.Headers.Append("Set-Cookie", "b=2; HttpOnly");
        response.Headers.Append("Vary", "Accept");
        response.Headers.Append("Vary", "Origin");

        var mapped = HttpApiV2ResponseMapper.Map(response);

        Assert.Equal(["a=1; Path=/", "b=2; HttpOnly"], mapped.Cookies!);
        Assert.Equal("Accept,Origin", mapped.Headers!["Vary"]);
        Assert.False(mapped.Headers.ContainsKey("Set-Cookie"));
        Assert.Null(mapped.Body);
    }

    [Theory]
    [InlineData("image/png", null)]
    [InlineData("application/json", "gzip")]
    [InlineData(null, null)]
    public void Binary_or_compressed_bodies_are_base64_encoded(string? contentType, string? contentEncoding)
    {
        var response = new LambdaResponseFeature();
        if (contentType is not null)
        {
            response.Headers.ContentType = contentType;
        }

        if (contentEncoding is not null)
        {
            response.Headers.ContentEncoding = contentEncoding;
        }

        byte[] body = [0x1f, 0x8b, 0x00, 0xff];
        response.Buffer.Write(body);

        var mapped = HttpApiV2ResponseMapper.Map(response);

        Assert.True(mapped.IsBase64Encoded);
        Assert.Equal(body, Convert.FromBase64String(mapped.Body!));
    }

    [Fact]
    public void Text_bodies_keep_their_characters()
    {
        var response = new LambdaResponseFeature();
        response.Headers.ContentType = "text/plain; charset=utf-8";
        response.Buffer.Write(Encoding.UTF8.GetBytes("héllo ✓"));

        Assert.Equal("héllo ✓", HttpApiV2ResponseMapper.Map(response).Body);
    }
}
