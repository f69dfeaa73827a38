using System.Text;
using System.Text.Json;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A function's answer as API Gateway reads it under payload format 2.0: an object with <c>statusCode</c> is the
/// response format (headers, <c>cookies</c> → <c>Set-Cookie</c>, a base64 body when flagged); any other JSON is
/// "inferred" — 200, <c>content-type: application/json</c>, and as body the string's text or the JSON itself.
/// Anything else is no answer (<see langword="null"/>), which API Gateway reports as 500: so is a status that is no
/// final answer (1xx) and a header HTTP cannot carry (a name that is not a token, a value with a control character).
/// </summary>
internal sealed record IntegrationResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<string> Cookies, byte[] Body)
{
    public static IntegrationResponse? Parse(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("statusCode", out var status))
            {
                var body = root.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(root.GetString()!) : payload;
                return new IntegrationResponse(StatusCodes.Status200OK, [new("content-type", "application/json")], [], body);
            }

            return Formatted(root, status);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IntegrationResponse? Formatted(JsonElement root, JsonElement status)
    {
        if (!status.TryGetInt32(out var statusCode) || statusCode is < 200 or > 599)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("headers", out var headerObject) && headerObject.ValueKind != JsonValueKind.Null)
        {
            foreach (var header in headerObject.EnumerateObject())
            {
                var value = Scalar(header.Value) ?? throw new FormatException("A header value is not a scalar.");
                headers.Add(IsToken(header.Name) && IsFieldValue(value) ? new(header.Name, value) : throw new FormatException("A header HTTP cannot carry."));
            }
        }

        var cookies = new List<string>();
        if (root.TryGetProperty("cookies", out var cookieArray) && cookieArray.ValueKind != JsonValueKind.Null)
        {
            cookies.AddRange(cookieArray.EnumerateArray().Select(c => c.GetString() is { } cookie && IsFieldValue(cookie) ? cookie : throw new FormatException("A cookie HTTP cannot carry.")));
        }

        var base64 = root.TryGetProperty("isBase64Encoded", out var flag) && flag.ValueKind == JsonValueKind.True;
        var text = root.TryGetProperty("body", out var bodyElement) && bodyElement.ValueKind != JsonValueKind.Null ? bodyElement.GetString() ?? string.Empty : string.Empty;
        var body = base64 ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
        return new IntegrationResponse(statusCode, headers, cookies, body);
    }

    private static string? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => null,
    };

    /// <summary>RFC 9110's token: what a header name is made of.</summary>
    private static bool IsToken(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal));

    /// <summary>Visible ASCII, spaces and tabs: what a response header value may hold on the wire.</summary>
    private static bool IsFieldValue(string value) => value.All(c => c is '\t' or (>= ' ' and <= '~'));
}
