using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>
/// A function deployed into LocalAws (by a stack or Lambda's API) whose execution environments its host starts —
/// an AppHost's project processes — rather than LocalAws from the function's code: LocalAws never launches one, and
/// admits the processes registered for it (<see cref="ExecutionEnvironmentRegistration"/>). Its processes get the
/// role the function has now, as temporary credentials from <c>{CredentialsPathPrefix}/{Name}/credentials</c>
/// with <see cref="CredentialsToken"/> (the container credentials protocol).
/// </summary>
/// <param name="Name">The function's name.</param>
public sealed record LocalAwsHostedFunctionSettings(string Name)
{
    /// <summary>Where a hosted function's processes read its role's credentials: <c>{prefix}/{Name}/credentials</c>.</summary>
    public const string CredentialsPathPrefix = "/_localaws/functions";

    /// <summary>What the processes present to read the function's role's credentials; none are served without it.</summary>
    public string? CredentialsToken { get; init; }

    /// <summary>
    /// The OpenTelemetry <c>service.name</c> LocalAws files the function's platform telemetry under: its host's name
    /// for the processes (an AppHost's resource, e.g. <c>api-handler</c>), so both show as one; the function's name when unset.
    /// </summary>
    public string? ServiceName { get; init; }

    /// <summary>The full URL path of the function's credentials.</summary>
    public string CredentialsPath => $"{CredentialsPathPrefix}/{Uri.EscapeDataString(Name)}/credentials";

    internal static LocalAwsHostedFunctionSettings Read(IConfigurationSection section) =>
        new(section[nameof(Name)] ?? string.Empty) { CredentialsToken = section[nameof(CredentialsToken)], ServiceName = section[nameof(ServiceName)] };

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(Name)), Name);
        Add(settings, Key(prefix, nameof(CredentialsToken)), CredentialsToken);
        Add(settings, Key(prefix, nameof(ServiceName)), ServiceName);
    }
}
