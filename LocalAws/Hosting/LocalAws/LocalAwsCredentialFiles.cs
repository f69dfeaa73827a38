using System.Text.Json.Nodes;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// Secret settings (secret access keys, container credential tokens) travel in owner-only files in a directory of
/// their own, removed when the AppHost exits, never in environment variables, which the dashboard shows.
/// </summary>
internal sealed class LocalAwsCredentialFiles
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public LocalAwsCredentialFiles()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete();
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tap-localaws-" + Guid.NewGuid().ToString("N"));

    /// <summary>LocalAws's secret settings, as a JSON configuration file (<c>--config</c>).</summary>
    public string SettingsPath => Path.Combine(Directory, "localaws-credentials.json");

    /// <summary>A role's container credentials token (<c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c>).</summary>
    public string TokenPath(string roleName) => Path.Combine(Directory, roleName + ".token");

    /// <summary>Writes configuration keys (<c>LocalAws:Principals:0:SecretAccessKey</c>) as the JSON file .NET configuration reads.</summary>
    public Task WriteSettingsAsync(IEnumerable<KeyValuePair<string, string>> settings, CancellationToken cancellationToken)
    {
        var root = new JsonObject();
        foreach (var (key, value) in settings)
        {
            var node = root;
            var parts = key.Split(':');
            foreach (var part in parts[..^1])
            {
                node = node[part] as JsonObject ?? (JsonObject)(node[part] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        return WriteAsync(SettingsPath, root.ToJsonString(), cancellationToken);
    }

    public async Task WriteAsync(string path, string contents, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, OwnerOnlyDirectory);
        }

        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(contents), cancellationToken).ConfigureAwait(false);
        }
    }

    private void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Already gone, or still in use: it lives in the temporary folder either way.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
