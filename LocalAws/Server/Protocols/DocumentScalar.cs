using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tap.LocalAws.Protocols;

/// <summary>
/// What a scalar of a service's document is, whichever way it was made (a value set in code, or one read from
/// JSON): a timestamp, a boolean, a whole number, a number or text. Each wire protocol writes each kind its own way.
/// </summary>
internal static class DocumentScalar
{
    /// <returns>A <see cref="DateTimeOffset"/>, <see cref="bool"/>, <see cref="long"/>, <see cref="double"/> or <see cref="string"/>.</returns>
    public static object Of(JsonValue value)
    {
        ArgumentNullException.ThrowIfNull(value);

        // A value read from JSON converts to its element; one set in code holds its .NET value.
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
                _ => element.GetString() ?? string.Empty,
            };
        }

        var held = value.GetValue<object>();
        return held switch
        {
            DateTimeOffset time => time,
            DateTime time => new DateTimeOffset(time, TimeSpan.Zero),
            bool flag => flag,
            int or long or short or byte or uint => Convert.ToInt64(held, System.Globalization.CultureInfo.InvariantCulture),
            double or float or decimal => Convert.ToDouble(held, System.Globalization.CultureInfo.InvariantCulture),
            _ => held.ToString() ?? string.Empty,
        };
    }
}
