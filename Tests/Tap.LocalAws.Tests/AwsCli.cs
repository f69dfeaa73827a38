using Amazon.Runtime;

using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>Runs the AWS CLI (an AWS client no one here wrote) with a clean, explicit environment.</summary>
public static class AwsCli
{
    /// <summary>The skip reason's wording; CI fails a run whose tests were skipped for a missing tool.</summary>
    public const string MissingMessage = "Missing tool: the AWS CLI (`aws`) is not on PATH; install it (Debian: apt-get install awscli) to run this test.";

    private static readonly Lazy<bool> Installed = new(() => ExternalProcess.Exists("aws"));

    /// <summary>Skips the calling test, naming what to install, when the AWS CLI is absent.</summary>
    public static void SkipUnlessInstalled() => Assert.SkipUnless(Installed.Value, MissingMessage);

    public static Task<ExternalProcess.Result> RunAsync(Uri endpoint, ImmutableCredentials? credentials, IDictionary<string, string>? environment, params string[] arguments)
    {
        SkipUnlessInstalled();
        return RunProgramAsync("aws", endpoint, credentials, environment, arguments);
    }

    /// <inheritdoc cref="AwsCliRunner.RunAsync"/>
    public static Task<ExternalProcess.Result> RunProgramAsync(
        string program, Uri endpoint, ImmutableCredentials? credentials, IDictionary<string, string>? environment, params string[] arguments) =>
        AwsCliRunner.RunAsync(program, endpoint, credentials, environment, arguments);
}
