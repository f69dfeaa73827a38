using System.Diagnostics;
using System.Text;
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

    /// <summary>Against the in-test Runtime API and Secrets Manager, with that endpoint's fixed role credentials.</summary>
    /// <param name="executable">The <c>bootstrap</c> executable, or <c>dotnet</c> with the app's dll as argument.</param>
    public static ProcessStartInfo StartInfo(FakeRuntimeApi runtime, FakeSecretsManagerEndpoint secrets, string executable, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(secrets);
        var start = StartInfo(runtime.RuntimeApi, secrets.Endpoint, executable, arguments);
        start.Environment["AWS_ACCESS_KEY_ID"] = FakeSecretsManagerEndpoint.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeSecretsManagerEndpoint.SecretAccessKey;
        start.Environment["AWS_SESSION_TOKEN"] = FakeSecretsManagerEndpoint.SessionToken;
        return start;
    }

    /// <summary>
    /// Against any Runtime API (<c>host:port/function</c>) and Secrets Manager endpoint; the caller adds the
    /// credentials, as keys or as a container credentials endpoint.
    /// </summary>
    public static ProcessStartInfo StartInfo(string runtimeApi, Uri secretsManager, string executable, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(secretsManager);
        var start = ChildProcess.StartInfo(executable, arguments, clearTelemetry: true);

        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = TapApplication.Function.Name;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment[AwsServiceMetadata.SecretsManager.EndpointVariable] = secretsManager.ToString();
        start.Environment[FunctionDefinition.SecretIdVariable] = SecretId;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return start;
    }

    /// <summary>Starts the process, collecting its standard output and error into <paramref name="output"/>.</summary>
    public static Process Start(ProcessStartInfo start, StringBuilder output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
