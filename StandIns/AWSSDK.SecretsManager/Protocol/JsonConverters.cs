using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tap.Aws.SecretsManager.Protocol;

/// <summary>AWS JSON timestamps: seconds since the Unix epoch, with fractional milliseconds.</summary>
internal sealed class EpochSecondsConverter : JsonConverter<DateTime?>
{
    // Year 1 to 9999, as seconds from the epoch: beyond them DateTime cannot hold the value.
    private const double MinEpochSeconds = -62135596800;
    private const double MaxEpochSeconds = 253402300799;

    public override DateTime? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out var seconds) && seconds is >= MinEpochSeconds and <= MaxEpochSeconds:
                return DateTime.UnixEpoch.AddMilliseconds(Math.Round(seconds * 1000));
            case JsonTokenType.String when DateTime.TryParse(
                reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed):
                return parsed;
            default:
                throw new JsonException("Expected a timestamp in epoch seconds.");
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTime? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is not { } instant)
        {
            writer.WriteNullValue();
            return;
        }

        var utc = instant.Kind == DateTimeKind.Local ? instant.ToUniversalTime() : instant;
        writer.WriteNumberValue(Math.Round((utc - DateTime.UnixEpoch).TotalMilliseconds) / 1000.0);
    }
}

/// <summary>AWS JSON blobs: base64 strings.</summary>
internal sealed class Base64MemoryStreamConverter : JsonConverter<MemoryStream>
{
    public override MemoryStream Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new(reader.GetBytesFromBase64());

    public override void Write(Utf8JsonWriter writer, MemoryStream value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteBase64StringValue(value.ToArray());
    }
}
