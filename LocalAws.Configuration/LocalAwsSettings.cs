using System.Globalization;

namespace Tap.LocalAws.Configuration;

/// <summary>
/// LocalAws's settings (the <c>LocalAws</c> configuration section), written out as .NET configuration keys:
/// <see cref="ToConfiguration"/> for an in-memory configuration or a JSON file, <see cref="ToEnvironmentVariables"/>
/// for a child process. Unset values are left out, so LocalAws's defaults apply.
/// </summary>
public sealed record LocalAwsSettings
{
    /// <summary>The configuration section LocalAws reads.</summary>
    public const string SectionName = "LocalAws";

    /// <summary>The emulated account (LocalAws's default: <c>000000000000</c>).</summary>
    public string? AccountId { get; init; }

    /// <summary>The emulated region (LocalAws's default: <c>us-east-1</c>).</summary>
    public string? Region { get; init; }

    /// <summary>Where state is kept across restarts; in memory when unset.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How long an invocation waits for a free execution environment (LocalAws's default: 10 s).</summary>
    public int? InvocationQueueTimeoutSeconds { get; init; }

    /// <summary>The IAM principals; none exists unless listed.</summary>
    public IReadOnlyList<LocalAwsPrincipalSettings> Principals { get; init; } = [];

    /// <summary>The Lambda functions; none exists unless listed.</summary>
    public IReadOnlyList<LocalAwsFunctionSettings> Functions { get; init; } = [];

    /// <summary>The HTTP APIs; none is served unless listed.</summary>
    public IReadOnlyList<LocalAwsHttpApiSettings> HttpApis { get; init; } = [];

    /// <summary>Configuration keys (<c>LocalAws:Principals:0:Name</c>) and their values.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToConfiguration()
    {
        var settings = new List<KeyValuePair<string, string>>();
        Add(settings, "AccountId", AccountId);
        Add(settings, "Region", Region);
        Add(settings, "DataDirectory", DataDirectory);
        Add(settings, "InvocationQueueTimeoutSeconds", InvocationQueueTimeoutSeconds?.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < Principals.Count; i++)
        {
            var principal = Principals[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Principals:{i}:");
            Add(settings, prefix + "Name", principal.Name);
            Add(settings, prefix + "Arn", principal.Arn);
            Add(settings, prefix + "AccessKeyId", principal.AccessKeyId);
            Add(settings, prefix + "SecretAccessKey", principal.SecretAccessKey);
            Add(settings, prefix + "ContainerCredentialsToken", principal.ContainerCredentialsToken);
            Add(settings, prefix + "AssumeRolePolicyDocument", principal.AssumeRolePolicyDocument);
            Add(settings, prefix + "MaxSessionDuration", principal.MaxSessionDuration?.ToString(CultureInfo.InvariantCulture));
            for (var p = 0; p < principal.Policies.Count; p++)
            {
                Add(settings, string.Create(CultureInfo.InvariantCulture, $"{prefix}Policies:{p}"), principal.Policies[p]);
            }
        }

        for (var i = 0; i < Functions.Count; i++)
        {
            var function = Functions[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"Functions:{i}:");
            Add(settings, prefix + "Name", function.Name);
            Add(settings, prefix + "Role", function.Role);
            Add(settings, prefix + "Timeout", function.Timeout?.ToString(CultureInfo.InvariantCulture));
            Add(settings, prefix + "MemorySize", function.MemorySize?.ToString(CultureInfo.InvariantCulture));
            Add(settings, prefix + "LogFormat", function.LogFormat);
            foreach (var (name, value) in function.Environment)
            {
                Add(settings, $"{prefix}Environment:{name}", value);
            }
        }

        for (var i = 0; i < HttpApis.Count; i++)
        {
            AddHttpApi(settings, string.Create(CultureInfo.InvariantCulture, $"HttpApis:{i}:"), HttpApis[i]);
        }

        return settings;
    }

    /// <summary>The same settings as environment variables (<c>LocalAws__Principals__0__Name</c>).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToEnvironmentVariables() =>
        ToConfiguration().Select(setting => new KeyValuePair<string, string>(EnvironmentVariableName(setting.Key), setting.Value));

    /// <summary>A configuration key as an environment variable's name (<c>LocalAws:Region</c> → <c>LocalAws__Region</c>).</summary>
    public static string EnvironmentVariableName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Replace(":", "__", StringComparison.Ordinal);
    }

    private static void AddHttpApi(List<KeyValuePair<string, string>> settings, string prefix, LocalAwsHttpApiSettings api)
    {
        Add(settings, prefix + "Name", api.Name);
        Add(settings, prefix + "Url", api.Url);
        Add(settings, prefix + "ApiId", api.ApiId);
        Add(settings, prefix + "Stage", api.Stage);
        Add(settings, prefix + "AccessLogFormat", api.AccessLogFormat);
        for (var r = 0; r < api.Routes.Count; r++)
        {
            var route = api.Routes[r];
            var routePrefix = string.Create(CultureInfo.InvariantCulture, $"{prefix}Routes:{r}:");
            Add(settings, routePrefix + "RouteKey", route.RouteKey);
            Add(settings, routePrefix + "Function", route.Function);
            Add(settings, routePrefix + "AuthorizationType", route.AuthorizationType);
            Add(settings, routePrefix + "TimeoutInMillis", route.TimeoutInMillis?.ToString(CultureInfo.InvariantCulture));
        }

        if (api.Throttle is { } throttle)
        {
            Add(settings, prefix + "Throttle:RateLimit", throttle.RateLimit.ToString(CultureInfo.InvariantCulture));
            Add(settings, prefix + "Throttle:BurstLimit", throttle.BurstLimit.ToString(CultureInfo.InvariantCulture));
        }

        if (api.Cors is { } cors)
        {
            AddList(settings, prefix + "Cors:AllowOrigins", cors.AllowOrigins);
            AddList(settings, prefix + "Cors:AllowMethods", cors.AllowMethods);
            AddList(settings, prefix + "Cors:AllowHeaders", cors.AllowHeaders);
            AddList(settings, prefix + "Cors:ExposeHeaders", cors.ExposeHeaders);
            Add(settings, prefix + "Cors:AllowCredentials", cors.AllowCredentials is { } credentials ? (credentials ? "true" : "false") : null);
            Add(settings, prefix + "Cors:MaxAge", cors.MaxAge?.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void AddList(List<KeyValuePair<string, string>> settings, string key, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            Add(settings, string.Create(CultureInfo.InvariantCulture, $"{key}:{i}"), values[i]);
        }
    }

    private static void Add(List<KeyValuePair<string, string>> settings, string key, string? value)
    {
        if (value is not null)
        {
            settings.Add(new($"{SectionName}:{key}", value));
        }
    }
}
