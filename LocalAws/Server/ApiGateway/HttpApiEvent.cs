using System.Globalization;
using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Tap.Aws.Lambda.APIGatewayEvents;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A request → the payload 2.0 event API Gateway hands a Lambda integration: header names lower-cased and repeats
/// comma-joined (cookies apart, in <c>cookies</c>), the raw path and query as sent, decoded query and path
/// parameters, a text body as it is and any other base64-encoded, the <c>x-forwarded-*</c> headers API Gateway adds,
/// and the request context with the IAM caller of an <c>AWS_IAM</c> route.
/// </summary>
internal static class HttpApiEvent
{
    /// <summary>The request's facts the event needs beyond the HTTP request itself.</summary>
    public sealed record Context(HttpApi Api, RouteMatch Match, string RequestId, DateTimeOffset Time, CallerIdentity? Caller, string? AccessKeyId);

    public static APIGatewayHttpApiV2ProxyRequest Build(HttpRequest request, byte[] body, Context context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(context);
        var (rawPath, rawQuery) = RawTarget(request);
        var host = request.Host.Host;
        var sourceIp = request.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        var routeKey = context.Match.Route.Key.Text;

        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Headers)
        {
            if (!name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase))
            {
                headers[name.ToLowerInvariant()] = string.Join(',', values.ToArray());
            }
        }

        headers["x-forwarded-for"] = headers.TryGetValue("x-forwarded-for", out var forwarded) ? $"{forwarded}, {sourceIp}" : sourceIp;
        headers["x-forwarded-port"] = (request.Host.Port ?? (request.IsHttps ? 443 : 80)).ToString(CultureInfo.InvariantCulture);
        headers["x-forwarded-proto"] = request.Scheme;

        var cookies = request.Headers.Cookie.ToString()
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = TextMediaTypes.IsText(request.ContentType);
        return new APIGatewayHttpApiV2ProxyRequest
        {
            Version = "2.0",
            RouteKey = routeKey,
            RawPath = rawPath,
            RawQueryString = rawQuery,
            Cookies = cookies.Length == 0 ? null : cookies,
            Headers = headers,
            QueryStringParameters = QueryParameters(request.Query),
            PathParameters = context.Match.PathParameters.Count == 0 ? null : new Dictionary<string, string>(context.Match.PathParameters),
            Body = body.Length == 0 ? null : text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body),
            IsBase64Encoded = body.Length > 0 && !text,
            RequestContext = new APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext
            {
                AccountId = context.Api.AccountId,
                ApiId = context.Api.ApiId,
                DomainName = host,
                DomainPrefix = host.Split('.')[0],
                Http = new APIGatewayHttpApiV2ProxyRequest.HttpDescription
                {
                    Method = request.Method,
                    Path = rawPath,
                    Protocol = request.Protocol,
                    SourceIp = sourceIp,
                    UserAgent = request.Headers.UserAgent.ToString(),
                },
                RequestId = context.RequestId,
                RouteKey = routeKey,
                Stage = context.Api.Stage,
                Time = RequestTime(context.Time),
                TimeEpoch = context.Time.ToUnixTimeMilliseconds(),
                Authorizer = context.Caller is { } caller ? Authorizer(caller, context.AccessKeyId) : null,
            },
        };
    }

    /// <summary>API Gateway's <c>requestTime</c>: the common log format, e.g. <c>12/Mar/2020:19:03:58 +0000</c>.</summary>
    public static string RequestTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("dd/MMM/yyyy:HH:mm:ss +0000", CultureInfo.InvariantCulture);

    /// <summary>The path and query exactly as the client sent them (ASP.NET Core decodes <c>Path</c>).</summary>
    private static (string Path, string Query) RawTarget(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        }

        var question = target.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (target, string.Empty) : (target[..question], target[(question + 1)..]);
    }

    private static Dictionary<string, string>? QueryParameters(IQueryCollection query) =>
        query.Count == 0 ? null : query.ToDictionary(q => q.Key, q => string.Join(',', q.Value.ToArray()), StringComparer.Ordinal);

    private static APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription Authorizer(CallerIdentity caller, string? accessKeyId) => new()
    {
        IAM = new APIGatewayHttpApiV2ProxyRequest.AuthorizerDescription.IAMDescription
        {
            AccessKey = accessKeyId,
            AccountId = caller.AccountId,
            CallerId = caller.UserId,
            UserARN = caller.Arn,
            UserId = caller.UserId,
        },
    };
}
