using System.Net;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Net.Http.Headers;
using Tap.Aws.Lambda.Hosting.Runtime;

namespace Tap.Aws.Lambda.Hosting.Http;

/// <summary>
/// An HTTP API payload 2.0 event → the features of an ASP.NET Core request: method, path (the stage becomes
/// PathBase unless it is <c>$default</c>), raw query string (decoded once, by ASP.NET Core, never twice), headers,
/// cookies, body (base64 when flagged), source IP, host, request id, the IAM caller, and the raw event.
/// </summary>
internal static class HttpApiV2RequestMapper
{
    public const string LambdaRequestObjectKey = "LambdaRequestObject";
    public const string LambdaContextKey = "LambdaContext";

    public static (IFeatureCollection Features, LambdaResponseFeature Response) Map(
        APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context, CancellationToken requestAborted)
    {
        var http = request.RequestContext?.Http;
        var rawPath = string.IsNullOrEmpty(request.RawPath) ? "/" : request.RawPath;
        var (pathBase, path) = SplitStage(rawPath, request.RequestContext?.Stage);
        var query = string.IsNullOrEmpty(request.RawQueryString) ? string.Empty : "?" + request.RawQueryString;

        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, value) in request.Headers ?? [])
        {
            headers.Append(name, value);
        }

        if (request.Cookies is { Length: > 0 } cookies)
        {
            headers.Cookie = string.Join("; ", cookies);
        }

        if (!headers.ContainsKey(HeaderNames.Host) && request.RequestContext?.DomainName is { Length: > 0 } domain)
        {
            headers.Host = domain;
        }

        var body = request.Body is null
            ? []
            : request.IsBase64Encoded ? Convert.FromBase64String(request.Body) : System.Text.Encoding.UTF8.GetBytes(request.Body);
        if (body.Length > 0 && !headers.ContainsKey(HeaderNames.ContentLength))
        {
            headers.ContentLength = body.Length;
        }

        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = http?.Protocol ?? "HTTP/1.1",
            Scheme = headers["x-forwarded-proto"].FirstOrDefault() ?? "https",
            Method = http?.Method ?? HttpMethods.Get,
            PathBase = pathBase.Value ?? string.Empty,
            Path = path.Value ?? "/",
            QueryString = query,
            RawTarget = rawPath + query,
            Headers = headers,
            Body = new MemoryStream(body, writable: false),
        });

        var response = new LambdaResponseFeature();
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetectionFeature(body.Length > 0));
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = context.AwsRequestId });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = requestAborted });
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature
        {
            ConnectionId = context.AwsRequestId,
            RemoteIpAddress = IPAddress.TryParse(http?.SourceIp, out var ip) ? ip : null,
            LocalPort = 443,
        });
        features.Set<IHttpAuthenticationFeature>(new HttpAuthenticationFeature
        {
            User = IamClaims.FromAuthorizer(request.RequestContext?.Authorizer?.IAM),
        });
        features.Set<IItemsFeature>(new ItemsFeature
        {
            Items = { [LambdaRequestObjectKey] = request, [LambdaContextKey] = context },
        });
        features.Set<ILambdaInvocationFeature>(new LambdaInvocationFeature(
            request, context, context is LambdaInvocation invocation ? invocation.Deadline : DateTimeOffset.UtcNow + context.RemainingTime));
        return (features, response);
    }

    /// <summary>
    /// With a named stage, rawPath begins with <c>/{stage}</c>: that prefix is the app's PathBase. A path that cannot
    /// be decoded throws <see cref="BadHttpRequestException"/>.
    /// </summary>
    internal static (PathString PathBase, PathString Path) SplitStage(string rawPath, string? stage)
    {
        PathString full;
        try
        {
            full = PathString.FromUriComponent(rawPath);
        }
        catch (InvalidOperationException ex)
        {
            // A path Kestrel would refuse (e.g. an encoded NUL): the client's mistake, answered as Kestrel does.
            throw new BadHttpRequestException(ex.Message, StatusCodes.Status400BadRequest, ex);
        }

        if (string.IsNullOrEmpty(stage) || stage == "$default")
        {
            return (PathString.Empty, full);
        }

        var stageBase = new PathString("/" + stage);
        return full.StartsWithSegments(stageBase, StringComparison.Ordinal, out var rest)
            ? (stageBase, rest.HasValue ? rest : new PathString("/"))
            : (PathString.Empty, full);
    }

    private sealed class BodyDetectionFeature(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    private sealed record LambdaInvocationFeature(APIGatewayHttpApiV2ProxyRequest Request, ILambdaContext Context, DateTimeOffset Deadline) : ILambdaInvocationFeature;
}
