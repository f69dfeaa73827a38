using System.Diagnostics;
using Tap.Aws.Protocol;
using Tap.Definition;

namespace Tap.Testing;

/// <summary>
/// Starts the Function as Lambda would: <c>AWS_LAMBDA_RUNTIME_API</c> set, the execution role's credentials in the
/// environment, and nothing inherited from the developer's own AWS or OpenTelemetry settings.
/// </summary>
public static class LambdaEnvironment
{
    public static readonly string SecretId = Tap.Definition.TapApplication.Secret.Name;

    /// <param name="executable">The <c>bootstrap</c> executable, or <c>dotnet</c> with the app's dll as argument.</param>
    public static ProcessStartInfo StartInfo(FakeRuntimeApi runtime, FakeSecretsManagerEndpoint secrets, string executable, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(secrets);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("OTEL_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = TapApplication.Function.Name;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtime.RuntimeApi;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = FakeSecretsManagerEndpoint.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeSecretsManagerEndpoint.SecretAccessKey;
        start.Environment["AWS_SESSION_TOKEN"] = FakeSecretsManagerEndpoint.SessionToken;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment[AwsServiceMetadata.SecretsManager.EndpointVariable] = secrets.Endpoint.ToString();
        start.Environment["SECRET_ID"] = SecretId;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }
}
