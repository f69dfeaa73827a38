using System.Text.Json;

namespace Tap.Aws.Errors;

/// <summary>AWS JSON protocol error bodies: <c>{"__type": code, "message": …}</c>, read and written.</summary>
public static class AwsJsonError
{
    /// <summary>Writes an error body as AWS JSON services send it.</summary>
    public static void Write(Utf8JsonWriter writer, string code, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("__type", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
    }

    /// <summary>An error body as UTF-8 bytes.</summary>
    public static byte[] Serialize(string code, string message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, code, message);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>__type</c> may be a bare code, <c>namespace#Code</c> or <c>Code:http://…</c>; the message key is
    /// <c>message</c> or <c>Message</c>. A body that is not JSON yields <see langword="null"/>s.
    /// </summary>
    public static (string? Code, string? Message) Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? type = null, message = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                if (property.NameEquals("__type") || property.NameEquals("code"))
                {
                    type ??= property.Value.GetString();
                }
                else if (property.NameEquals("message") || property.NameEquals("Message"))
                {
                    message = property.Value.GetString();
                }
            }

            return (NormalizeCode(type), message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public static string? NormalizeCode(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var hash = type.LastIndexOf('#');
        var code = hash >= 0 ? type[(hash + 1)..] : type;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? code[..colon] : code;
    }
}
