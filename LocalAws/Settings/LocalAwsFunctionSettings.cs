using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>
/// A Lambda function LocalAws serves: its Invoke API and its Runtime API at
/// <c>{LocalAws}/{Name}/2018-06-01/runtime/…</c>. LocalAws does not start the function's processes: each process
/// registered for it (<see cref="ExecutionEnvironmentRegistration"/>) that polls the Runtime API is one execution
/// environment.
/// </summary>
/// <param name="Name">The function's name (as in <c>arn:aws:lambda:{region}:{account}:function:{Name}</c>).</param>
/// <param name="Role">The execution role's ARN; the role must be one of the configured principals.</param>
public sealed record LocalAwsFunctionSettings(string Name, string Role)
{
    /// <summary>
    /// LocalAws's view of a function's execution environments (200 while one is idle or busy, 503 otherwise), as
    /// <c>{HealthPathPrefix}/{Name}</c>.
    /// </summary>
    public const string HealthPathPrefix = "/health/functions";

    /// <summary>Lambda's log format values.</summary>
    public const string TextLogFormat = "Text";

    /// <inheritdoc cref="TextLogFormat"/>
    public const string JsonLogFormat = "JSON";

    /// <summary>The invocation timeout in seconds, 1–900 (Lambda's default 3 when unset).</summary>
    public int? Timeout { get; init; }

    /// <summary>The memory size in MB, 128–10240 (Lambda's default 128 when unset).</summary>
    public int? MemorySize { get; init; }

    /// <summary>Platform log lines as text (<c>START RequestId: …</c>, the default) or as JSON records (<c>JSON</c>).</summary>
    public string? LogFormat { get; init; }

    /// <summary>The function's environment variables, as <c>GetFunction</c> reports them.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where this entry was read from (<c>LocalAws:Functions:0</c>), for errors; not a setting.</summary>
    public string ConfigurationPath { get; init; } = string.Empty;

    internal static LocalAwsFunctionSettings Read(IConfigurationSection section) =>
        new(section[nameof(Name)] ?? string.Empty, section[nameof(Role)] ?? string.Empty)
        {
            Timeout = Integer(section, nameof(Timeout)),
            MemorySize = Integer(section, nameof(MemorySize)),
            LogFormat = section[nameof(LogFormat)],
            Environment = section.GetSection(nameof(Environment)).GetChildren()
                .ToDictionary(v => v.Key, v => v.Value ?? string.Empty, StringComparer.Ordinal),
            ConfigurationPath = section.Path,
        };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(Name)), Name);
        Add(settings, Key(prefix, nameof(Role)), Role);
        Add(settings, Key(prefix, nameof(Timeout)), Timeout);
        Add(settings, Key(prefix, nameof(MemorySize)), MemorySize);
        Add(settings, Key(prefix, nameof(LogFormat)), LogFormat);
        foreach (var (name, value) in Environment)
        {
            Add(settings, Key(Key(prefix, nameof(Environment)), name), value);
        }
    }
}
