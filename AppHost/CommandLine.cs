using System.Diagnostics;

namespace Tap.AppHost;

/// <summary>Runs a tool the AppHost needs before the app starts (the CDK app, the CDK CLI, npm) and returns its output.</summary>
internal static class CommandLine
{
    /// <summary>Runs <paramref name="command"/> to its end; a non-zero exit is an error carrying what it printed.</summary>
    public static string Run(string command, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} could not be started.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"'{command} {string.Join(' ', start.ArgumentList)}' failed (exit code {process.ExitCode}):\n{output}\n{errors.Result}");
    }
}
