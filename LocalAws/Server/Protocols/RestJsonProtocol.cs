using System.Text.Json;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// AWS REST-JSON errors, as Lambda sends them: the status, the code in <c>x-amzn-ErrorType</c>, and
/// <c>{"Type": "User"|"Service", "message": …}</c> (the SDKs read the header first, then the body).
/// </summary>
internal static class RestJsonProtocol
{
    public const string ContentType = "application/json";

    /// <summary>Writes a JSON answer with <paramref name="status"/>, buffered so its length is known.</summary>
    public static async Task WriteAsync(HttpResponse response, int status, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        response.StatusCode = status;
        response.ContentType = ContentType;
        await response.Body.WriteAsync(buffer.ToArray());
    }

    public static async Task WriteErrorAsync(HttpResponse response, AwsError error)
    {
        response.StatusCode = error.StatusCode;
        response.ContentType = ContentType;
        response.Headers[AwsHeaders.ErrorType] = error.Code;
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("Type", error.StatusCode >= 500 ? "Service" : "User");
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }
}
