using System.Text;
using System.Text.Json;
using Amazon.Lambda.AspNetCoreServer;
using Amazon.Lambda.AspNetCoreServer.Hosting;
using Microsoft.AspNetCore.Http;
using Tap.Aws.Lambda.Hosting.Http;
using Tap.Aws.Lambda.Hosting.Serialization;

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
    [InlineData("application/octet-stream", null)]
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

    [Fact]
    public void Untyped_bodies_follow_DefaultResponseContentEncoding_as_in_the_official_package()
    {
        Assert.Equal(ResponseContentEncoding.Default, new HostingOptions().DefaultResponseContentEncoding);
        var options = new HostingOptions { DefaultResponseContentEncoding = ResponseContentEncoding.Base64 };

        Assert.Equal(ResponseContentEncoding.Default, HttpApiV2ResponseMapper.ChooseEncoding(new HeaderDictionary(), new HostingOptions()));
        Assert.Equal(ResponseContentEncoding.Base64, HttpApiV2ResponseMapper.ChooseEncoding(new HeaderDictionary(), options));
    }

    [Fact]
    public void Registered_content_types_and_encodings_win()
    {
        var options = new HostingOptions();
        options.RegisterResponseContentEncodingForContentType("application/x-custom", ResponseContentEncoding.Base64);
        options.RegisterResponseContentEncodingForContentType("image/svg+xml", ResponseContentEncoding.Default);
        options.RegisterResponseContentEncodingForContentEncoding("identity-ish", ResponseContentEncoding.Base64);

        Assert.Equal(ResponseContentEncoding.Base64, HttpApiV2ResponseMapper.ChooseEncoding(
            new HeaderDictionary { ["Content-Type"] = "application/x-custom; charset=utf-8" }, options));
        Assert.Equal(ResponseContentEncoding.Default, HttpApiV2ResponseMapper.ChooseEncoding(
            new HeaderDictionary { ["Content-Type"] = "image/svg+xml" }, options));
        Assert.Equal(ResponseContentEncoding.Base64, HttpApiV2ResponseMapper.ChooseEncoding(
            new HeaderDictionary { ["Content-Type"] = "text/plain", ["Content-Encoding"] = "identity-ish" }, options));
    }
}
