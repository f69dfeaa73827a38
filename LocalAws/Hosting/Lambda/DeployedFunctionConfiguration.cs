using System.Text.Json;
using Amazon.Runtime;
using Tap.Aws.Http;

namespace Tap.LocalAws.Hosting;

/// <summary>
/// A deployed function's configuration as Lambda's <c>GetFunctionConfiguration</c> answers it in LocalAws: what its
/// execution environments are started with.
/// </summary>
/// <param name="Handler">The handler (<c>_HANDLER</c>).</param>
/// <param name="MemorySize">Its memory, in MB.</param>
/// <param name="LogFormat"><c>Text</c> or <c>JSON</c>.</param>
/// <param name="Variables">Its environment variables.</param>
internal sealed record DeployedFunctionConfiguration(string? Handler, int MemorySize, string LogFormat, IReadOnlyDictionary<string, string> Variables);

/// <summary>Reads <c>GetFunctionConfiguration</c>'s answer (Lambda's JSON names, not ours).</summary>
internal static class LambdaConfigurationReader
{
    /// <summary><paramref name="functionName"/>'s configuration in the LocalAws at <paramref name="endpoint"/>, read as <paramref name="admin"/>.</summary>
    public static async Task<DeployedFunctionConfiguration> GetAsync(Uri endpoint, ImmutableCredentials admin, string region, string functionName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        using var lambda = SignedHttpClient.Create(new BasicAWSCredentials(admin.AccessKey, admin.SecretKey), region, "lambda");
        using var response = await lambda.GetAsync(
            new Uri(endpoint, $"/2015-03-31/functions/{Uri.EscapeDataString(functionName)}/configuration"), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"LocalAws has no deployed function {functionName} to host ({(int)response.StatusCode}: {body}); is its stack deployed?");
        }

        using var configuration = JsonDocument.Parse(body);
        var root = configuration.RootElement;
        var variables = root.TryGetProperty("Environment", out var environment) && environment.TryGetProperty("Variables", out var set)
            ? set.EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
            : [];
        var logFormat = root.TryGetProperty("LoggingConfig", out var logging) && logging.TryGetProperty("LogFormat", out var format) ? format.GetString() : null;
        return new DeployedFunctionConfiguration(
            root.TryGetProperty("Handler", out var handler) ? handler.GetString() : null,
            root.GetProperty("MemorySize").GetInt32(),
            logFormat ?? "Text",
            variables);
    }
}
