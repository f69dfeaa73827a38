using Microsoft.Extensions.Configuration;
using static Tap.LocalAws.Settings.SettingsSection;

namespace Tap.LocalAws.Settings;

/// <summary>
/// The port a deployed HTTP API listens on, by the API's name, so a host can give it a fixed address (its
/// <c>ApiEndpoint</c> is then <c>http://127.0.0.1:{Port}</c>); other deployed APIs take a free port.
/// </summary>
/// <param name="Name">The API's name (<c>Name</c> of <c>AWS::ApiGatewayV2::Api</c>).</param>
/// <param name="Port">The port on 127.0.0.1.</param>
public sealed record LocalAwsApiPortSettings(string Name, int Port)
{
    /// <summary>The key of the port of the entry at <paramref name="path"/>, for a host that sets it apart.</summary>
    public static string PortKey(string path) => Key(path, nameof(Port));

    internal static LocalAwsApiPortSettings Read(IConfigurationSection section) =>
        new(section[nameof(Name)] ?? string.Empty, Integer(section, nameof(Port)) ?? throw Invalid(section.Path, nameof(Port), "is required."));

    internal void Write(List<KeyValuePair<string, string>> settings, string prefix)
    {
        Add(settings, Key(prefix, nameof(Name)), Name);
        Add(settings, Key(prefix, nameof(Port)), Port);
    }
}
