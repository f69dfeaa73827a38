using System.Net;
using System.Security.Claims;
using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Http;
using Tap.Aws.Lambda.Hosting.Http;

namespace Tap.Aws.Lambda.Hosting.Tests;

/// <summary>AWS's documented payload 2.0 events → the HttpContext an ASP.NET Core app sees.</summary>
public sealed class RequestMappingTests
{
    private sealed record Invocation(string AwsRequestId) : ILambdaContext
    {
        public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:000000000000:function:api-handler";

        public string FunctionName => "api-handler";

        public string FunctionVersion => "$LATEST";

        public string LogGroupName => "/aws/lambda/api-handler";

        public string LogStreamName => "2026/11/28/[$LATEST]0123456789abcdef";

        public int MemoryLimitInMB => 256;

        public string TraceId => string.Empty;

        public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
    }

    private static DefaultHttpContext Map(APIGatewayHttpApiV2ProxyRequest request, string requestId = "8f0c1d2e-lambda-request")
    {
        var (features, _) = HttpApiV2RequestMapper.Map(request, new Invocation(requestId), CancellationToken.None);
        return new DefaultHttpContext(features);
    }

    [Fact]
    public async Task Documented_event_maps_method_path_query_headers_cookies_body_and_source()
    {
        var context = Map(GoldenEvents.Load(GoldenEvents.Documented));
        var request = context.Request;

        Assert.Equal("POST", request.Method);
        Assert.Equal(string.Empty, request.PathBase.Value);
        Assert.Equal("/my/path", request.Path.Value);
        Assert.Equal("?parameter1=value1&parameter1=value2&parameter2=value", request.QueryString.Value);
        Assert.Equal("value1,value2", request.Query["parameter1"].ToString());
        Assert.Equal("value1", request.Headers["header1"]);
        Assert.Equal("value1,value2", request.Headers["header2"]);
        Assert.Equal("cookie1; cookie2", request.Headers.Cookie);
        Assert.Equal("id.execute-api.us-east-1.amazonaws.com", request.Host.Value);
        Assert.Equal("https", request.Scheme);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), context.Connection.RemoteIpAddress);
        Assert.Equal("8f0c1d2e-lambda-request", context.TraceIdentifier);
        Assert.Equal("Hello from Lambda", await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(TestContext.Current.CancellationToken));
        Assert.Equal(17, request.ContentLength);
        Assert.False(context.User.Identity?.IsAuthenticated ?? false);
    }

    [Fact]
    public void A_named_stage_becomes_the_PathBase_and_the_IAM_caller_becomes_the_User()
    {
        var context = Map(GoldenEvents.Load(GoldenEvents.IamWithStage));

        Assert.Equal("GET", context.Request.Method);
        Assert.Equal("/prod", context.Request.PathBase.Value);
        Assert.Equal("/orders/42", context.Request.Path.Value);
        Assert.Equal("a b", context.Request.Query["note"]);
        Assert.Equal("/prod/orders/42?expand=items&note=a%20b", context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget);
        Assert.True(context.User.Identity!.IsAuthenticated);
        Assert.Equal("AWS_IAM", context.User.Identity.AuthenticationType);
        Assert.Equal("arn:aws:iam::000000000000:user/invoker", context.User.FindFirstValue(LambdaClaimTypes.UserArn));
        Assert.Equal("arn:aws:iam::000000000000:user/invoker", context.User.Identity.Name);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", context.User.FindFirstValue(LambdaClaimTypes.AccessKey));
        Assert.Equal("000000000000", context.User.FindFirstValue(LambdaClaimTypes.AccountId));
        Assert.Equal("AIDACKCEVSQ6C2EXAMPLE", context.User.FindFirstValue(LambdaClaimTypes.CallerId));
        Assert.Null(context.User.FindFirst(LambdaClaimTypes.PrincipalOrgId));
    }

    [Fact]
    public void The_raw_event_and_invocation_are_available_to_the_app()
    {
        var request = GoldenEvents.Load(GoldenEvents.IamWithStage);

        var context = Map(request, "req-7");

        Assert.Same(request, context.Items["LambdaRequestObject"]);
        Assert.Equal("req-7", ((ILambdaContext)context.Items["LambdaContext"]!).AwsRequestId);
        Assert.Same(request, context.Features.Get<ILambdaInvocationFeature>()!.Request);
    }

    [Theory]
    [InlineData("/files/a%2520b", "$default", "", "/files/a%20b")]
    [InlineData("/prod", "prod", "/prod", "/")]
    [InlineData("/production/x", "prod", "", "/production/x")]
    [InlineData("/x", "$default", "", "/x")]
    public void Paths_are_decoded_once_and_split_at_the_stage(string rawPath, string stage, string pathBase, string path)
    {
        var (actualBase, actualPath) = HttpApiV2RequestMapper.SplitStage(rawPath, stage);

        Assert.Equal(pathBase, actualBase.Value ?? string.Empty);
        Assert.Equal(path, actualPath.Value);
    }

    [Fact]
    public async Task A_base64_body_is_decoded()
    {
        var request = GoldenEvents.Load(GoldenEvents.Documented);
        request.Body = Convert.ToBase64String([0, 1, 2, 255]);
        request.IsBase64Encoded = true;

        var context = Map(request);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 2, 255], buffer.ToArray());
    }
}
