using System.Globalization;
using System.Text;
using Amazon.Lambda.APIGatewayEvents;
using Microsoft.Net.Http.Headers;
using Tap.Aws.Lambda.APIGatewayEvents;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A request → the payload 2.0 event API Gateway hands a Lambda integration: header names lower-cased and repeats
/// comma-joined (cookies apart, in <c>cookies</c>), the canonical path and the query as sent, decoded query and path
/// parameters, a text body as it is and any other base64-encoded, the <c>x-forwarded-*</c> headers API Gateway adds,
/// and the request context with the IAM caller of an <c>AWS_IAM</c> route.
/// </summary>
internal static class HttpApiEvent
{
    /// <summary>The request's facts the event needs beyond the HTTP request itself.</summary>
    /// <param name="Api">The API.</param>
    /// <param name="Path">The request's canonical path (with the stage): the event's <c>rawPath</c>.</param>
    /// <param name="RawQuery">The query as the client sent it: the event's <c>rawQueryString</c>.</param>
    /// <param name="DomainName">The API's host name the request named.</param>
    /// <param name="Match">The route and its path parameters.</param>
    /// <param name="RequestId">The gateway's request id.</param>
    /// <param name="Time">When the request arrived.</param>
    /// <param name="Caller">The IAM caller of an <c>AWS_IAM</c> route.</param>
    /// <param name="AccessKeyId">The caller's access key.</param>
    public sealed record Context(HttpApi Api, RequestPath Path, string RawQuery, string DomainName, RouteMatch Match, string RequestId, DateTimeOffset Time, CallerIdentity? Caller, string? AccessKeyId);

    public static APIGatewayHttpApiV2ProxyRequest Build(HttpRequest request, byte[] body, Context context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(context);
        var rawPath = context.Path.Value;
        var rawQuery = context.RawQuery;
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
                DomainName = context.DomainName,
                DomainPrefix = context.DomainName.Split('.')[0],
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
