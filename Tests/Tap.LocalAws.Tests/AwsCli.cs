using System.Diagnostics;
using Amazon.Runtime;

namespace Tap.LocalAws.Tests;

/// <summary>Runs the AWS CLI (an AWS client no one here wrote) with a clean, explicit environment.</summary>
public static class AwsCli
{
    /// <summary>The skip reason's wording; CI fails a run whose tests were skipped for a missing tool.</summary>
    public const string MissingMessage = "Missing tool: the AWS CLI (`aws`) is not on PATH; install it (Debian: apt-get install awscli) to run this test.";

    private static readonly Lazy<bool> Installed = new(() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, "aws"))));

    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Skips the calling test, naming what to install, when the AWS CLI is absent.</summary>
    public static void SkipUnlessInstalled() => Skip.IfNot(Installed.Value, MissingMessage);

    public static async Task<Result> RunAsync(Uri endpoint, ImmutableCredentials? credentials, IDictionary<string, string>? environment, params string[] arguments)
    {
        SkipUnlessInstalled();
        var start = new ProcessStartInfo("aws")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--endpoint-url", endpoint.ToString(), "--output", "json", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/nonexistent/aws-config";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/aws-credentials";
        start.Environment["AWS_PAGER"] = string.Empty;
        if (credentials is not null)
        {
            start.Environment["AWS_ACCESS_KEY_ID"] = credentials.AccessKey;
            start.Environment["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The AWS CLI could not be started; is `aws` on PATH?");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
