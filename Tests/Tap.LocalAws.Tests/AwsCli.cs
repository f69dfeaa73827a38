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

    /// <summary>Runs a given AWS CLI executable (v1 from PATH, v2 from its own path, …) the same way.</summary>
    public static Task<ExternalProcess.Result> RunProgramAsync(
        string program, Uri endpoint, ImmutableCredentials? credentials, IDictionary<string, string>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string> { ["AWS_DEFAULT_REGION"] = "us-east-1", ["AWS_PAGER"] = string.Empty };
        if (credentials is not null)
        {
            variables["AWS_ACCESS_KEY_ID"] = credentials.AccessKey;
            variables["AWS_SECRET_ACCESS_KEY"] = credentials.SecretKey;
            if (credentials.UseToken)
            {
                variables["AWS_SESSION_TOKEN"] = credentials.Token;
            }
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return ExternalProcess.RunAsync(program, ["--endpoint-url", endpoint.ToString(), "--output", "json", .. arguments], variables);
    }
}
