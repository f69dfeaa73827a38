using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>
/// LocalAws's settings (the <c>LocalAws</c> configuration section): LocalAws reads them with <see cref="Read"/>; the
/// AppHost, tests and benchmarks write them with <see cref="ToConfiguration"/> (an in-memory configuration or a JSON
/// file) or <see cref="ToEnvironmentVariables"/> (a child process). Both go through the same record properties, so
/// no key is spelled twice.
/// </summary>
public sealed record LocalAwsSettings
{
    /// <summary>The configuration section LocalAws reads.</summary>
    public const string SectionName = "LocalAws";

    /// <summary>The emulated account when none is configured.</summary>
    public const string DefaultAccountId = "000000000000";

    /// <summary>The emulated region when none is configured.</summary>
    public const string DefaultRegion = "us-east-1";

    /// <summary>Where every LocalAws address serves its CA's certificate (PEM, never its key), unauthenticated.</summary>
    public const string CaCertificatePath = "/_localaws/ca.pem";

    /// <summary>The folder of the data directory that holds LocalAws's CA.</summary>
    public const string CaCertificateDirectory = "tls";

    /// <summary>The CA certificate's file in <see cref="CaCertificateDirectory"/>: what clients trust.</summary>
    public const string CaCertificateFileName = "ca.pem";

    /// <summary>The emulated account.</summary>
    public string AccountId { get; init; } = DefaultAccountId;

    /// <summary>The emulated region.</summary>
    public string Region { get; init; } = DefaultRegion;

    /// <summary>Where state is kept across restarts; in memory when unset.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How long an invocation waits for a free execution environment, in seconds.</summary>
    public int InvocationQueueTimeoutSeconds { get; init; } = 10;

    /// <summary>
    /// The most execution environments LocalAws starts for one function deployed from a zip; an invocation beyond
    /// them waits for one to be free (<see cref="InvocationQueueTimeoutSeconds"/>), then is throttled.
    /// </summary>
    public int LambdaConcurrency { get; init; } = 10;

    /// <summary>How long an execution environment LocalAws started may sit idle before it is stopped, in seconds.</summary>
    public int LambdaIdleTimeoutSeconds { get; init; } = 300;

    /// <summary>The largest S3 object (and part) accepted, in MiB; S3's own limit on one PUT is 5 GiB.</summary>
    public int S3MaxObjectMegabytes { get; init; } = 5120;

    /// <summary>The cap on all S3 object versions and uploaded parts together, in MiB.</summary>
    public int S3MaxStorageMegabytes { get; init; } = 10240;

    /// <summary>The IAM principals; none exists unless listed.</summary>
    public IReadOnlyList<LocalAwsPrincipalSettings> Principals { get; init; } = [];

    /// <summary>The Lambda functions; none exists unless listed.</summary>
    public IReadOnlyList<LocalAwsFunctionSettings> Functions { get; init; } = [];

    /// <summary>The HTTP APIs; none is served unless listed.</summary>
    public IReadOnlyList<LocalAwsHttpApiSettings> HttpApis { get; init; } = [];

    /// <summary>Deployed functions whose execution environments their host starts, not LocalAws.</summary>
    public IReadOnlyList<LocalAwsHostedFunctionSettings> HostedFunctions { get; init; } = [];

    /// <summary>Fixed ports of deployed HTTP APIs, by name.</summary>
    public IReadOnlyList<LocalAwsApiPortSettings> ApiPorts { get; init; } = [];

    /// <summary>
    /// Reads the <c>LocalAws</c> section. Values that are not of their setting's type are refused, naming the
    /// setting; whether they are within AWS's limits is for LocalAws to judge.
    /// </summary>
    public static LocalAwsSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var defaults = new LocalAwsSettings();
        return new LocalAwsSettings
        {
            AccountId = section[nameof(AccountId)] ?? defaults.AccountId,
            Region = section[nameof(Region)] ?? defaults.Region,
            DataDirectory = section[nameof(DataDirectory)] is { Length: > 0 } directory ? directory : null,
            InvocationQueueTimeoutSeconds = Integer(section, nameof(InvocationQueueTimeoutSeconds)) ?? defaults.InvocationQueueTimeoutSeconds,
            LambdaConcurrency = Integer(section, nameof(LambdaConcurrency)) ?? defaults.LambdaConcurrency,
            LambdaIdleTimeoutSeconds = Integer(section, nameof(LambdaIdleTimeoutSeconds)) ?? defaults.LambdaIdleTimeoutSeconds,
            S3MaxObjectMegabytes = Integer(section, nameof(S3MaxObjectMegabytes)) ?? defaults.S3MaxObjectMegabytes,
            S3MaxStorageMegabytes = Integer(section, nameof(S3MaxStorageMegabytes)) ?? defaults.S3MaxStorageMegabytes,
            Principals = [.. Entries(section.GetSection(nameof(Principals))).Select(LocalAwsPrincipalSettings.Read)],
            Functions = [.. Entries(section.GetSection(nameof(Functions))).Select(LocalAwsFunctionSettings.Read)],
            HttpApis = [.. Entries(section.GetSection(nameof(HttpApis))).Select(LocalAwsHttpApiSettings.Read)],
            HostedFunctions = [.. Entries(section.GetSection(nameof(HostedFunctions))).Select(LocalAwsHostedFunctionSettings.Read)],
            ApiPorts = [.. Entries(section.GetSection(nameof(ApiPorts))).Select(LocalAwsApiPortSettings.Read)],
        };
    }

    /// <summary>Configuration keys (<c>LocalAws:Principals:0:Name</c>) and their values; unset values are left out.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToConfiguration()
    {
        var settings = new List<KeyValuePair<string, string>>();
        Add(settings, Key(SectionName, nameof(AccountId)), AccountId);
        Add(settings, Key(SectionName, nameof(Region)), Region);
        Add(settings, Key(SectionName, nameof(DataDirectory)), DataDirectory);
        Add(settings, Key(SectionName, nameof(InvocationQueueTimeoutSeconds)), InvocationQueueTimeoutSeconds);
        Add(settings, Key(SectionName, nameof(LambdaConcurrency)), LambdaConcurrency);
        Add(settings, Key(SectionName, nameof(LambdaIdleTimeoutSeconds)), LambdaIdleTimeoutSeconds);
        Add(settings, Key(SectionName, nameof(S3MaxObjectMegabytes)), S3MaxObjectMegabytes);
        Add(settings, Key(SectionName, nameof(S3MaxStorageMegabytes)), S3MaxStorageMegabytes);
        for (var i = 0; i < Principals.Count; i++)
        {
            Principals[i].Write(settings, PrincipalPath(i));
        }

        for (var i = 0; i < Functions.Count; i++)
        {
            Functions[i].Write(settings, Key(Key(SectionName, nameof(Functions)), i));
        }

        for (var i = 0; i < HttpApis.Count; i++)
        {
            HttpApis[i].Write(settings, HttpApiPath(i));
        }

        for (var i = 0; i < HostedFunctions.Count; i++)
        {
            HostedFunctions[i].Write(settings, Key(Key(SectionName, nameof(HostedFunctions)), i));
        }

        for (var i = 0; i < ApiPorts.Count; i++)
        {
            ApiPorts[i].Write(settings, ApiPortPath(i));
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

    /// <summary>Whether a configuration key holds a secret (a secret access key, or a token that reads credentials).</summary>
    public static bool IsSecret(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.EndsWith(":" + nameof(LocalAwsPrincipalSettings.SecretAccessKey), StringComparison.Ordinal)
            || key.EndsWith(":" + nameof(LocalAwsPrincipalSettings.ContainerCredentialsToken), StringComparison.Ordinal)
            || key.EndsWith(":" + nameof(LocalAwsHostedFunctionSettings.CredentialsToken), StringComparison.Ordinal);
    }

    /// <summary>The path of a setting of the top level, e.g. <c>LocalAws:AccountId</c>.</summary>
    public static string PathOf(string setting) => Key(SectionName, setting);

    /// <summary>The path of the <paramref name="index"/>th principal, e.g. <c>LocalAws:Principals:0</c>.</summary>
    public static string PrincipalPath(int index) => Key(Key(SectionName, nameof(Principals)), index);

    /// <summary>The path of the <paramref name="index"/>th HTTP API, e.g. <c>LocalAws:HttpApis:0</c>.</summary>
    public static string HttpApiPath(int index) => Key(Key(SectionName, nameof(HttpApis)), index);

    /// <summary>The path of the <paramref name="index"/>th deployed API's port, e.g. <c>LocalAws:ApiPorts:0</c>.</summary>
    public static string ApiPortPath(int index) => Key(Key(SectionName, nameof(ApiPorts)), index);
}
