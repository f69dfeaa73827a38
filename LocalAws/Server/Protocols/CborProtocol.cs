using System.Formats.Cbor;
using System.Globalization;
using System.Text.Json.Nodes;
using Tap.Aws.Errors;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// Smithy RPC v2 CBOR bodies, read into and written from the JSON document model the services work on: maps,
/// arrays, text, numbers and booleans as themselves, timestamps as tag 1 (epoch seconds) both ways, blobs as
/// base64 text. Answers carry <c>smithy-protocol: rpc-v2-cbor</c>; errors are Query-compatible.
/// </summary>
internal static class CborProtocol
{
    public const string ContentType = "application/cbor";

    public const string ProtocolHeader = "smithy-protocol";

    public const string ProtocolName = "rpc-v2-cbor";

    /// <summary>The header a Query-compatible service names its Query error code and fault in.</summary>
    public const string QueryErrorHeader = "x-amzn-query-error";

    /// <summary>Whether the request says it speaks RPC v2 CBOR, as the protocol requires every request to.</summary>
    public static bool IsCborRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method) && request.Headers[ProtocolHeader] == ProtocolName;
    }

    /// <summary>The request's input: an empty body is an empty input; one that is not a CBOR map is <c>SerializationException</c>.</summary>
    public static JsonObject ReadInput(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            var reader = new CborReader(body, CborConformanceMode.Lax);
            var input = Read(reader) as JsonObject ?? throw Malformed("the body is not a CBOR map");
            return reader.BytesRemaining == 0 ? input : throw Malformed("the body holds more than one CBOR item");
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or FormatException)
        {
            throw Malformed("the body is not valid CBOR");
        }
    }

    public static Task WriteAsync(HttpResponse response, JsonObject output)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status200OK;
        return WriteBodyAsync(response, output);
    }

    /// <summary>An error as a Query-compatible RPC v2 service answers: the Query code in <c>__type</c> and in <c>x-amzn-query-error</c>.</summary>
    public static Task WriteErrorAsync(HttpResponse response, AwsError error)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(error);
        response.StatusCode = error.StatusCode;
        response.Headers[QueryErrorHeader] = $"{error.Code};{(error.StatusCode >= 500 ? "Receiver" : "Sender")}";
        return WriteBodyAsync(response, new JsonObject { ["__type"] = error.Code, ["message"] = error.Message });
    }

    /// <summary>The CBOR encoding of <paramref name="document"/>.</summary>
    public static byte[] Encode(JsonNode? document)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        Write(writer, document);
        return writer.Encode();
    }

    /// <summary>The document a CBOR item holds (for tests and clients of LocalAws that read CBOR answers).</summary>
    public static JsonNode? Decode(byte[] cbor)
    {
        ArgumentNullException.ThrowIfNull(cbor);
        return Read(new CborReader(cbor, CborConformanceMode.Lax));
    }

    private static Task WriteBodyAsync(HttpResponse response, JsonObject document)
    {
        response.ContentType = ContentType;
        response.Headers[ProtocolHeader] = ProtocolName;
        return response.Body.WriteAsync(Encode(document)).AsTask();
    }

    private static AwsServiceException Malformed(string reason) =>
        new(new AwsError(400, "SerializationException", $"The request could not be read: {reason}."));

    private static JsonNode? Read(CborReader reader)
    {
        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                reader.ReadStartMap();
                var map = new JsonObject();
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = reader.ReadTextString();
                    map[key] = Read(reader);
                }

                reader.ReadEndMap();
                return map;
            case CborReaderState.StartArray:
                reader.ReadStartArray();
                var array = new JsonArray();
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    array.Add(Read(reader));
                }

                reader.ReadEndArray();
                return array;
            case CborReaderState.TextString:
                return reader.ReadTextString();
            case CborReaderState.StartIndefiniteLengthTextString:
                return ReadChunkedText(reader);
            case CborReaderState.ByteString or CborReaderState.StartIndefiniteLengthByteString:
                return Convert.ToBase64String(reader.ReadByteString());
            case CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger:
                return reader.ReadInt64();
            case CborReaderState.HalfPrecisionFloat or CborReaderState.SinglePrecisionFloat or CborReaderState.DoublePrecisionFloat:
                return reader.ReadDouble();
            case CborReaderState.Boolean:
                return reader.ReadBoolean();
            case CborReaderState.Null:
                reader.ReadNull();
                return null;
            case CborReaderState.SimpleValue:
                // Undefined, or a simple value no Smithy shape has.
                reader.ReadSimpleValue();
                return null;
            case CborReaderState.Tag when reader.PeekTag() == CborTag.UnixTimeSeconds:
                reader.ReadTag();
                var seconds = reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger ? reader.ReadInt64() : reader.ReadDouble();
                return DateTimeOffset.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000));
            default:
                throw new FormatException($"Unexpected CBOR item {reader.PeekState()}.");
        }
    }

    private static string ReadChunkedText(CborReader reader)
    {
        reader.ReadStartIndefiniteLengthTextString();
        var text = new System.Text.StringBuilder();
        while (reader.PeekState() != CborReaderState.EndIndefiniteLengthTextString)
        {
            text.Append(reader.ReadTextString());
        }

        reader.ReadEndIndefiniteLengthTextString();
        return text.ToString();
    }

    private static void Write(CborWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNull();
                break;
            case JsonObject map:
                // A member without a value is left out, as Smithy's protocols leave out unset members.
                writer.WriteStartMap(map.Count(m => m.Value is not null));
                foreach (var (key, value) in map.Where(m => m.Value is not null))
                {
                    writer.WriteTextString(key);
                    Write(writer, value);
                }

                writer.WriteEndMap();
                break;
            case JsonArray array:
                writer.WriteStartArray(array.Count);
                foreach (var item in array)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteScalar(writer, DocumentScalar.Of(value));
                break;
        }
    }

    private static void WriteScalar(CborWriter writer, object scalar)
    {
        switch (scalar)
        {
            case DateTimeOffset time:
                writer.WriteTag(CborTag.UnixTimeSeconds);
                writer.WriteDouble(time.ToUnixTimeMilliseconds() / 1000.0);
                break;
            case bool flag:
                writer.WriteBoolean(flag);
                break;
            case long whole:
                writer.WriteInt64(whole);
                break;
            case double number:
                writer.WriteDouble(number);
                break;
            default:
                writer.WriteTextString(Convert.ToString(scalar, CultureInfo.InvariantCulture) ?? string.Empty);
                break;
        }
    }
}
