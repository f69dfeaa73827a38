using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>
/// An API Gateway HTTP API LocalAws serves on its own URL, with one stage: routes to configured functions, each
/// <c>AWS_IAM</c> (SigV4 with service <c>execute-api</c>, then IAM's <c>execute-api:Invoke</c>) or <c>NONE</c>.
/// </summary>
/// <param name="Name">The API's name.</param>
/// <param name="Routes">The routes; a request no route matches is answered 404.</param>
public sealed record LocalAwsHttpApiSettings(string Name, IReadOnlyList<LocalAwsRouteSettings> Routes)
{
    /// <summary>The API id used when none is configured: API Gateway's shape (10 lower-case letters and digits), the same for the same name every run.</summary>
    public static string DefaultApiId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return string.Create(10, hash, static (chars, bytes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[bytes[i] % alphabet.Length];
            }
        });
    }

    /// <summary>Where the API listens (LocalAws's default: <c>http://localhost:4000</c>); port 0 picks a free port.</summary>
    public string? Url { get; init; }

    /// <summary>The API id in its ARNs (<c>arn:aws:execute-api:{region}:{account}:{ApiId}/…</c>); by default one derived from the name.</summary>
    public string? ApiId { get; init; }

    /// <summary>The stage, the first path segment of every URL (default <c>$default</c>: no segment).</summary>
    public string? Stage { get; init; }

    /// <summary>The stage's default route throttling; none when unset.</summary>
    public LocalAwsThrottleSettings? Throttle { get; init; }

    /// <summary>The API's CORS configuration; none when unset.</summary>
    public LocalAwsCorsSettings? Cors { get; init; }

    /// <summary>The stage's access log format, with API Gateway's <c>$context</c> variables (LocalAws's default: a JSON line).</summary>
    public string? AccessLogFormat { get; init; }

    /// <summary>
    /// The stage's <c>DetailedMetricsEnabled</c>: its metrics carry each request's route as <c>Method</c> and
    /// <c>Resource</c> besides <c>ApiId</c> and <c>Stage</c>.
    /// </summary>
    public bool? DetailedMetricsEnabled { get; init; }

    /// <summary>
    /// Listen only once every function the routes name has an execution environment that has started (polled its
    /// Runtime API), so that the API accepts no call it cannot serve: for an app that starts its functions after
    /// LocalAws (the AppHost). Unset or false: listen at once, as an API in AWS serves from its creation.
    /// </summary>
    public bool? WaitForFunctions { get; init; }

    /// <summary>Where this entry was read from (<c>LocalAws:HttpApis:0</c>), for errors; not a setting.</summary>
    public string ConfigurationPath { get; init; } = string.Empty;

    internal static LocalAwsHttpApiSettings Read(IConfigurationSection section) =>
        new(section[nameof(Name)] ?? string.Empty, [.. Entries(section.GetSection(nameof(Routes))).Select(LocalAwsRouteSettings.Read)])
        {
            Url = section[nameof(Url)],
            ApiId = section[nameof(ApiId)],
            Stage = section[nameof(Stage)],
            AccessLogFormat = section[nameof(AccessLogFormat)],
            WaitForFunctions = Boolean(section, nameof(WaitForFunctions)),
            DetailedMetricsEnabled = Boolean(section, nameof(DetailedMetricsEnabled)),
            Throttle = section.GetSection(nameof(Throttle)) is { } throttle && throttle.Exists() ? LocalAwsThrottleSettings.Read(throttle) : null,
            Cors = section.GetSection(nameof(Cors)) is { } cors && cors.Exists() ? LocalAwsCorsSettings.Read(cors) : null,
            ConfigurationPath = section.Path,
        };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(Name)), Name);
        Add(settings, Key(prefix, nameof(Url)), Url);
        Add(settings, Key(prefix, nameof(ApiId)), ApiId);
        Add(settings, Key(prefix, nameof(Stage)), Stage);
        Add(settings, Key(prefix, nameof(AccessLogFormat)), AccessLogFormat);
        Add(settings, Key(prefix, nameof(WaitForFunctions)), WaitForFunctions);
        Add(settings, Key(prefix, nameof(DetailedMetricsEnabled)), DetailedMetricsEnabled);
        for (var i = 0; i < Routes.Count; i++)
        {
            Routes[i].Write(settings, Key(Key(prefix, nameof(Routes)), i));
        }

        Throttle?.Write(settings, Key(prefix, nameof(Throttle)));
        Cors?.Write(settings, Key(prefix, nameof(Cors)));
    }

    /// <summary>The configuration key of the API's <see cref="Url"/>, for the API at <paramref name="path"/>.</summary>
    public static string UrlKey(string path) => Key(path, nameof(Url));
}

/// <summary>A route and its Lambda integration.</summary>
/// <param name="RouteKey"><c>{METHOD} {path}</c> (method or <c>ANY</c>; <c>{name}</c> and greedy <c>{name+}</c> path variables) or <c>$default</c>.</param>
/// <param name="Function">The configured function the route invokes (payload format 2.0).</param>
public sealed record LocalAwsRouteSettings(string RouteKey, string Function)
{
    /// <summary><c>AWS_IAM</c> or <c>NONE</c> (API Gateway's default when unset).</summary>
    public string? AuthorizationType { get; init; }

    /// <summary>The integration timeout, 50–30000 ms (API Gateway's default and maximum: 30000).</summary>
    public int? TimeoutInMillis { get; init; }

    /// <summary>Where this entry was read from (<c>LocalAws:HttpApis:0:Routes:1</c>), for errors; not a setting.</summary>
    public string ConfigurationPath { get; init; } = string.Empty;

    internal static LocalAwsRouteSettings Read(IConfigurationSection section) =>
        new(section[nameof(RouteKey)] ?? string.Empty, section[nameof(Function)] ?? string.Empty)
        {
            AuthorizationType = section[nameof(AuthorizationType)],
            TimeoutInMillis = Integer(section, nameof(TimeoutInMillis)),
            ConfigurationPath = section.Path,
        };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(RouteKey)), RouteKey);
        Add(settings, Key(prefix, nameof(Function)), Function);
        Add(settings, Key(prefix, nameof(AuthorizationType)), AuthorizationType);
        Add(settings, Key(prefix, nameof(TimeoutInMillis)), TimeoutInMillis);
    }
}

/// <summary>Token-bucket throttling of a stage: a steady rate and a burst capacity.</summary>
public sealed record LocalAwsThrottleSettings(double RateLimit, int BurstLimit)
{
    internal static LocalAwsThrottleSettings Read(IConfigurationSection section) => new(
        Number(section, nameof(RateLimit)) ?? throw Invalid(section.Path, nameof(RateLimit), "is needed with a throttle: requests per second, 0 to 10000."),
        Integer(section, nameof(BurstLimit)) ?? throw Invalid(section.Path, nameof(BurstLimit), "is needed with a throttle: the bucket's capacity, 0 to 5000."));

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(RateLimit)), RateLimit.ToString("R", CultureInfo.InvariantCulture));
        Add(settings, Key(prefix, nameof(BurstLimit)), BurstLimit);
    }
}

/// <summary>An HTTP API's CORS configuration, as API Gateway's <c>CorsConfiguration</c>.</summary>
public sealed record LocalAwsCorsSettings
{
    public IReadOnlyList<string> AllowOrigins { get; init; } = [];

    public IReadOnlyList<string> AllowMethods { get; init; } = [];

    public IReadOnlyList<string> AllowHeaders { get; init; } = [];

    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];

    public bool? AllowCredentials { get; init; }

    /// <summary>Seconds a browser may cache a preflight answer.</summary>
    public int? MaxAge { get; init; }

    internal static LocalAwsCorsSettings Read(IConfigurationSection section) => new()
    {
        AllowOrigins = Strings(section, nameof(AllowOrigins)),
        AllowMethods = Strings(section, nameof(AllowMethods)),
        AllowHeaders = Strings(section, nameof(AllowHeaders)),
        ExposeHeaders = Strings(section, nameof(ExposeHeaders)),
        AllowCredentials = Boolean(section, nameof(AllowCredentials)),
        MaxAge = Integer(section, nameof(MaxAge)),
    };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(AllowOrigins)), AllowOrigins);
        Add(settings, Key(prefix, nameof(AllowMethods)), AllowMethods);
        Add(settings, Key(prefix, nameof(AllowHeaders)), AllowHeaders);
        Add(settings, Key(prefix, nameof(ExposeHeaders)), ExposeHeaders);
        Add(settings, Key(prefix, nameof(AllowCredentials)), AllowCredentials);
        Add(settings, Key(prefix, nameof(MaxAge)), MaxAge);
    }
}
