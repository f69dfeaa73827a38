using System.Text.RegularExpressions;
using Tap.LocalAws.Configuration;
using Tap.LocalAws.Lambda;

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

    public static IReadOnlyList<HttpApi> Load(IConfiguration configuration, IReadOnlyCollection<LambdaFunction> functions, string accountId, string region)
    {
        var apis = new List<HttpApi>();
        foreach (var section in configuration.GetSection($"{LocalAwsSettings.SectionName}:HttpApis").GetChildren())
        {
            var name = section["Name"];
            if (string.IsNullOrWhiteSpace(name) || name.Length > 128)
            {
                throw SettingsSection.Invalid(section, "Name", "must be 1 to 128 characters.");
            }

            var apiId = section["ApiId"] ?? LocalAwsHttpApiSettings.DefaultApiId(name);
            if (!ApiIdPattern().IsMatch(apiId))
            {
                throw SettingsSection.Invalid(section, "ApiId", "must be 1 to 32 lower-case letters or digits.");
            }

            var stage = section["Stage"] ?? HttpApi.DefaultStage;
            if (stage != HttpApi.DefaultStage && !StagePattern().IsMatch(stage))
            {
                throw SettingsSection.Invalid(section, "Stage", "must be $default or 1 to 128 letters, digits, hyphens or underscores.");
            }

            if (!Uri.TryCreate(section["Url"] ?? DefaultUrl, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            {
                throw SettingsSection.Invalid(section, "Url", "must be an http:// address with no path, e.g. http://localhost:4000.");
            }

            var api = new HttpApi(name, apiId, url, stage, new RouteTable(Routes(section, functions)), Throttle(section.GetSection("Throttle")),
                Cors(section.GetSection("Cors")), AccessLogFormat.Parse(section["AccessLogFormat"] ?? DefaultAccessLogFormat), accountId, region);
            if (apis.FirstOrDefault(a => a.Name == name || a.ApiId == apiId || (url.Port != 0 && a.Url.Port == url.Port)) is { } clash)
            {
                throw SettingsSection.Invalid(section, "Name", $"clashes with the API {clash.Name}: each API needs its own name, ApiId and port.");
            }

            apis.Add(api);
        }

        return apis;
    }

    private static List<HttpRoute> Routes(IConfigurationSection api, IReadOnlyCollection<LambdaFunction> functions)
    {
        var routes = new List<HttpRoute>();
        foreach (var section in api.GetSection("Routes").GetChildren())
        {
            RouteKey key;
            try
            {
                key = RouteKey.Parse(section["RouteKey"] ?? string.Empty);
            }
            catch (FormatException ex)
            {
                throw SettingsSection.Invalid(section, "RouteKey", ex.Message);
            }

            if (routes.Any(r => r.Key.Text == key.Text))
            {
                throw SettingsSection.Invalid(section, "RouteKey", $"names the route {key.Text} a second time.");
            }

            var function = section["Function"];
            if (function is null || !functions.Any(f => f.Name == function))
            {
                throw SettingsSection.Invalid(section, "Function", "must name a function configured in LocalAws:Functions.");
            }

            // API Gateway's default: a route without an authorization type is open.
            var authorization = section["AuthorizationType"] ?? "NONE";
            if (authorization is not ("AWS_IAM" or "NONE"))
            {
                throw SettingsSection.Invalid(section, "AuthorizationType", "must be AWS_IAM or NONE.");
            }

            var timeout = SettingsSection.Integer(section, "TimeoutInMillis", MaxTimeoutInMillis, MinTimeoutInMillis, MaxTimeoutInMillis);
            routes.Add(new HttpRoute(key, function, authorization == "AWS_IAM", TimeSpan.FromMilliseconds(timeout)));
        }

        return routes.Count > 0 ? routes : throw SettingsSection.Invalid(api, "Routes", "must list at least one route.");
    }

    private static ThrottleLimits? Throttle(IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return null;
        }

        var rate = SettingsSection.Number(section, "RateLimit", 0, 10_000)
            ?? throw SettingsSection.Invalid(section, "RateLimit", "is needed with a throttle: requests per second, 0 to 10000.");
        var burst = section["BurstLimit"] is null
            ? throw SettingsSection.Invalid(section, "BurstLimit", "is needed with a throttle: the bucket's capacity, 0 to 5000.")
            : SettingsSection.Integer(section, "BurstLimit", 0, 0, 5_000);
        return new ThrottleLimits(rate, burst);
    }

    private static CorsPolicy? Cors(IConfigurationSection section)
    {
        if (!section.Exists())
        {
            return null;
        }

        string[] List(string key) => [.. section.GetSection(key).GetChildren().Select(c => c.Value).OfType<string>()];
        var credentials = section["AllowCredentials"];
        if (credentials is not (null or "true" or "false"))
        {
            throw SettingsSection.Invalid(section, "AllowCredentials", "must be true or false.");
        }

        var origins = List("AllowOrigins");
        if (credentials == "true" && origins.Contains("*"))
        {
            throw SettingsSection.Invalid(section, "AllowCredentials", "cannot be true while AllowOrigins is *.");
        }

        var maxAge = section["MaxAge"] is null ? (int?)null : SettingsSection.Integer(section, "MaxAge", 0, 0, 86_400);
        return new CorsPolicy(origins, List("AllowMethods"), List("AllowHeaders"), List("ExposeHeaders"), credentials == "true", maxAge);
    }

    [GeneratedRegex("^[a-z0-9]{1,32}$")]
    private static partial Regex ApiIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex StagePattern();
}
