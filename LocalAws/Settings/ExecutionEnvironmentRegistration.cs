using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tap.LocalAws.Settings;

/// <summary>
/// LocalAws's own call that makes a process (and the processes it starts) an execution environment of a function:
/// <c>POST /_localaws/lambda/functions/{name}/environments</c> with <c>{"ProcessId": n}</c>, SigV4-signed for
/// LocalAws's own service name <see cref="SigningName"/> by a principal allowed <see cref="Action"/> on the function's
/// ARN. Only registered processes
/// (and LocalAws's own) may take or answer the function's invocations on its Runtime API. The AppHost registers each
/// process it starts for a function; a runtime started by hand is registered with this call.
/// </summary>
public static class ExecutionEnvironmentRegistration
{
    /// <summary>Where the function's registrations are posted, as <c>{PathPrefix}/{name}/environments</c>.</summary>
    public const string PathPrefix = "/_localaws/lambda/functions";

    /// <summary>The path segment after the function's name.</summary>
    public const string EnvironmentsSegment = "environments";

    /// <summary>The SigV4 service name of LocalAws's own calls (no AWS service has it).</summary>
    public const string SigningName = "localaws";

    /// <summary>The IAM action the call demands: LocalAws's own, which no AWS policy grants but <c>*</c>.</summary>
    public const string Action = "localaws:RegisterExecutionEnvironment";

    /// <summary>The body's one member.</summary>
    public const string ProcessIdMember = "ProcessId";

    /// <summary>The path that registers an environment of <paramref name="function"/>.</summary>
    public static string Path(string function) => $"{PathPrefix}/{Uri.EscapeDataString(function)}/{EnvironmentsSegment}";

    /// <summary>The request body naming <paramref name="processId"/>.</summary>
    public static string Body(int processId) => string.Create(CultureInfo.InvariantCulture, $$"""{"{{ProcessIdMember}}":{{processId}}}""");

    /// <summary>The process id a request body names, or <see langword="null"/> when it names none.</summary>
    public static int? ReadProcessId(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(ProcessIdMember, out var value)
                && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var processId) && processId > 0
                ? processId
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Registers <paramref name="processId"/> through <paramref name="signedClient"/> (one that signs for
    /// <see cref="SigningName"/>); a refusal throws <see cref="HttpRequestException"/> with LocalAws's message and status.
    /// </summary>
    public static async Task RegisterAsync(HttpClient signedClient, Uri localAws, string function, int processId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signedClient);
        using var content = new StringContent(Body(processId), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await signedClient.PostAsync(new Uri(localAws, Path(function)), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"LocalAws refused process {processId} as an execution environment of {function}: {(int)response.StatusCode} {error}", null, response.StatusCode);
        }
    }
}
