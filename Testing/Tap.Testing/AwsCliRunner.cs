using Amazon.Runtime;

namespace Tap.Testing;

/// <summary>Runs an AWS CLI (an AWS client no one here wrote) with a clean, explicit environment, against one endpoint.</summary>
public static class AwsCliRunner
{
    /// <summary>Runs <paramref name="program"/> (v1 from PATH, v2 from its own path, …) in region us-east-1, JSON output, no pager.</summary>
    public static Task<ExternalProcess.Result> RunAsync(
        string program, Uri endpoint, ImmutableCredentials? credentials, IDictionary<string, string>? environment, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
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
