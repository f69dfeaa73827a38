using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tap.Aws.Errors;
using Tap.Aws.Protocol;
using Tap.Aws.SecretsManager.Protocol;

namespace Tap.LocalAws.Protocols;

/// <summary>AWS JSON 1.0/1.1 responses: the result object, or <c>{"__type": code, "message": …}</c>.</summary>
internal static class JsonProtocol
{
    /// <summary>AWS JSON 1.0's content type (1.1's is <see cref="AwsJsonProtocol.ContentType"/>).</summary>
    public const string ContentType10 = "application/x-amz-json-1.0";

    /// <summary>JSON with each property once: a repeated one is refused as the parse fails, not later where a node is read.</summary>
    public static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false };

    /// <summary>The kind of the JSON value <paramref name="text"/> holds, or null when it is not one JSON value.</summary>
    public static JsonValueKind? RootKind(string text) => RootKind(System.Text.Encoding.UTF8.GetBytes(text));

    /// <inheritdoc cref="RootKind(string)"/>
    public static JsonValueKind? RootKind(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8);
            return document.RootElement.ValueKind;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A request body as a document; an empty body is an empty input, one that is not a JSON object <c>SerializationException</c>.</summary>
    public static JsonObject ReadDocument(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body.Length == 0 ? [] : JsonNode.Parse(body, documentOptions: StrictJson) as JsonObject ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw AwsServiceException.Json("SerializationException", "The request body is not a JSON object.");
        }
    }

    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _threadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    /// <summary>Writes a service's document, its timestamps as epoch seconds as AWS JSON has them and its unset members left out.</summary>
    public static async Task WriteDocumentAsync(HttpResponse response, JsonObject document, string contentType)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer, document);
    }

    /// <summary>
    /// Answers with <paramref name="result"/> and its Content-Length, as AWS does. Every JSON service's answer passes
    /// here, so it is serialized into a buffer the thread keeps and copied into the response before anything awaits.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, object result)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(result);
        var buffer = _threadBuffer ??= new ArrayBufferWriter<byte>(KeptBufferBytes / 16);
        try
        {
            var writer = _threadWriter ??= new Utf8JsonWriter(buffer);
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, result, result.GetType(), SecretsManagerJson.Options);
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = AwsJsonProtocol.ContentType;
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            // Answers hold secret values: none is left in the buffer, and an unusually large one is not kept.
            buffer.Clear();
            if (buffer.Capacity > KeptBufferBytes)
            {
                (_threadBuffer, _threadWriter) = (null, null);
            }
        }

        await response.BodyWriter.FlushAsync();
    }

    public static async Task WriteErrorAsync(HttpResponse response, AwsError error)
    {
        response.StatusCode = error.StatusCode;
        response.ContentType = AwsJsonProtocol.ContentType;
        await using var writer = new Utf8JsonWriter(response.Body);
        AwsJsonError.Write(writer, error.Code, error.Message);
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject structure:
                writer.WriteStartObject();
                foreach (var (name, value) in structure.Where(m => m.Value is not null))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value when DocumentScalar.Of(value) is DateTimeOffset time:
                writer.WriteNumberValue(time.ToUnixTimeMilliseconds() / 1000.0);
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
