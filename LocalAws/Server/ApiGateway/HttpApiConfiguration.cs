using System.Text.RegularExpressions;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Lambda;
using Tap.LocalAws.Settings;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// Reads <c>LocalAws:HttpApis</c> and refuses, naming the setting, what API Gateway would refuse: a bad route key, a
/// route to a function that is not configured, an unknown authorization type, a timeout or throttle out of range.
/// </summary>
internal static partial class HttpApiConfiguration
{
    public const string DefaultUrl = "http://localhost:4000";

    /// <summary>The access log a stage writes when none is configured: one JSON object of common <c>$context</c> variables.</summary>
    public const string DefaultAccessLogFormat =
        """{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","userArn":"$context.identity.userArn","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency"}""";

    private const int MaxTimeoutInMillis = 30_000;
    private const int MinTimeoutInMillis = 50;

    public static IReadOnlyList<HttpApi> Load(LocalAwsSettings settings, IReadOnlyCollection<LambdaFunction> functions)
    {
        var apis = new List<HttpApi>();
        foreach (var entry in settings.HttpApis)
        {
            var path = entry.ConfigurationPath;
            var name = entry.Name;
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
            {
                throw SettingsSection.Invalid(path, nameof(entry.Name), "must be 1 to 128 characters.");
            }

            var apiId = entry.ApiId ?? LocalAwsHttpApiSettings.DefaultApiId(name);
            if (!ApiIdPattern().IsMatch(apiId))
            {
                throw SettingsSection.Invalid(path, nameof(entry.ApiId), "must be 1 to 32 lower-case letters or digits.");
            }

            var stage = entry.Stage ?? HttpApi.DefaultStage;
            if (stage != HttpApi.DefaultStage && !StagePattern().IsMatch(stage))
            {
                throw SettingsSection.Invalid(path, nameof(entry.Stage), "must be $default or 1 to 128 letters, digits, hyphens or underscores.");
            }

            if (!Uri.TryCreate(entry.Url ?? DefaultUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            {
                throw SettingsSection.Invalid(path, nameof(entry.Url), "must be an http:// address with no path, e.g. http://localhost:4000.");
            }

            var api = new HttpApi(name, apiId, url, stage, new RouteTable(Routes(entry, functions)), Throttle(entry),
                Cors(entry), AccessLogFormat.Parse(entry.AccessLogFormat ?? DefaultAccessLogFormat), settings.AccountId, settings.Region)
            {
                WaitForFunctions = entry.WaitForFunctions ?? false,
                DetailedMetrics = entry.DetailedMetricsEnabled ?? false,
            };
            if (apis.FirstOrDefault(a => a.Name == name || a.ApiId == apiId || (url.Port != 0 && a.Url.Port == url.Port)) is { } clash)
            {
                throw SettingsSection.Invalid(path, nameof(entry.Name), $"clashes with the API {clash.Name}: each API needs its own name, ApiId and port.");
            }

            apis.Add(api);
        }

        return apis;
    }

    private static List<HttpRoute> Routes(LocalAwsHttpApiSettings api, IReadOnlyCollection<LambdaFunction> functions)
    {
        var routes = new List<HttpRoute>();
        foreach (var route in api.Routes)
        {
            var path = route.ConfigurationPath;
            RouteKey key;
            try
            {
                key = RouteKey.Parse(route.RouteKey);
            }
            catch (FormatException ex)
            {
                throw SettingsSection.Invalid(path, nameof(route.RouteKey), ex.Message);
            }

            if (routes.Any(r => r.Key.Text == key.Text))
            {
                throw SettingsSection.Invalid(path, nameof(route.RouteKey), $"names the route {key.Text} a second time.");
            }

            if (!functions.Any(f => f.Name == route.Function))
            {
                throw SettingsSection.Invalid(path, nameof(route.Function), "must name a function configured in LocalAws:Functions.");
            }

            // API Gateway's default: a route without an authorization type is open.
            var authorization = route.AuthorizationType ?? "NONE";
            if (authorization is not ("AWS_IAM" or "NONE"))
            {
                throw SettingsSection.Invalid(path, nameof(route.AuthorizationType), "must be AWS_IAM or NONE.");
            }

            var timeout = SettingLimits.Integer(path, nameof(route.TimeoutInMillis), route.TimeoutInMillis, MaxTimeoutInMillis, MinTimeoutInMillis, MaxTimeoutInMillis);
            routes.Add(new HttpRoute(key, route.Function, authorization == "AWS_IAM", TimeSpan.FromMilliseconds(timeout)));
        }

        return routes.Count > 0 ? routes : throw SettingsSection.Invalid(api.ConfigurationPath, nameof(api.Routes), "must list at least one route.");
    }

    private static ThrottleLimits? Throttle(LocalAwsHttpApiSettings api)
    {
        if (api.Throttle is not { } throttle)
        {
            return null;
        }

        var path = $"{api.ConfigurationPath}:{nameof(api.Throttle)}";
        return new ThrottleLimits(
            SettingLimits.Number(path, nameof(throttle.RateLimit), throttle.RateLimit, 0, 10_000),
            SettingLimits.Integer(path, nameof(throttle.BurstLimit), throttle.BurstLimit, 0, 5_000));
    }

    private static CorsPolicy? Cors(LocalAwsHttpApiSettings api)
    {
        if (api.Cors is not { } cors)
        {
            return null;
        }

        var path = $"{api.ConfigurationPath}:{nameof(api.Cors)}";
        if (cors.AllowCredentials == true && cors.AllowOrigins.Contains("*"))
        {
            throw SettingsSection.Invalid(path, nameof(cors.AllowCredentials), "cannot be true while AllowOrigins is *.");
        }

        int? maxAge = cors.MaxAge is { } seconds ? SettingLimits.Integer(path, nameof(cors.MaxAge), seconds, 0, 86_400) : null;
        return new CorsPolicy([.. cors.AllowOrigins], [.. cors.AllowMethods], [.. cors.AllowHeaders], [.. cors.ExposeHeaders], cors.AllowCredentials == true, maxAge);
    }

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex ApiIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex StagePattern();
}
