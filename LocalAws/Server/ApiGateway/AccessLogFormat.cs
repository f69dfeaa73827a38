using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A stage's access log format, read once when the API is configured. <see cref="Render"/> fills in its
/// <c>$context</c> variables, as API Gateway writes one line per request: values are JSON-escaped, so a JSON format
/// stays JSON whatever a client sends, and a variable without a value is <c>-</c>. A format that is a JSON object of
/// string templates also yields each field's value (<see cref="Fields"/>), for a structured log record. Request URLs
/// are never a variable here, so no presigned signature or token reaches the log.
/// </summary>
internal sealed partial class AccessLogFormat
{
    private readonly IReadOnlyList<KeyValuePair<string, string>> _fieldTemplates;

    private AccessLogFormat(string text, IReadOnlyList<KeyValuePair<string, string>> fieldTemplates)
    {
        Text = text;
        _fieldTemplates = fieldTemplates;
    }

    /// <summary>The format as configured.</summary>
    public string Text { get; }

    public static AccessLogFormat Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.String))
            {
                return new AccessLogFormat(text, [.. document.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetString()!))]);
            }
        }
        catch (JsonException)
        {
            // Not JSON (API Gateway also takes CLF, XML, CSV): logged as its line alone.
        }

        return new AccessLogFormat(text, []);
    }

    /// <summary>The request's log line.</summary>
    public string Render(AccessLogEntry entry) =>
        Fill(Text, entry, value => JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString());

    /// <summary>Each field of a JSON format with the request's values (none for any other format).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Fields(AccessLogEntry entry) =>
        [.. _fieldTemplates.Select(f => KeyValuePair.Create(f.Key, (object?)Fill(f.Value, entry, value => value)))];

    private static string Fill(string template, AccessLogEntry entry, Func<string, string> encode)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ContextVariable().Replace(template, match => encode(entry.Value(match.Groups["name"].Value) ?? "-"));
    }

    [GeneratedRegex(@"\$context\.(?<name>[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*)")]
    private static partial Regex ContextVariable();
}
