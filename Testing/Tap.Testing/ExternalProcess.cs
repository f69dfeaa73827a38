using System.Diagnostics;

namespace Tap.Testing;

/// <summary>Runs a program no one here wrote (the AWS CLI, curl, Python with boto3) and collects what it says.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Whether <paramref name="program"/> is a path to an executable, or a name found on PATH.</summary>
    public static bool Exists(string program) => Path.IsPathRooted(program)
        ? File.Exists(program)
        : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, program)));

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>TERM</c>, <c>STOP</c>, <c>CONT</c>, <c>KILL</c>) to process <paramref name="pid"/>, as <c>kill</c> does.</summary>
    public static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill")
        {
            ArgumentList = { $"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>
    /// Runs <paramref name="program"/> without any inherited <c>AWS_*</c> variable (so nothing but what a test
    /// passes can sign), with <paramref name="environment"/> on top.
    /// </summary>
    /// <param name="timeout">How long it may run; a minute unless given.</param>
    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = ChildProcess.StartInfo(program, arguments);

        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
