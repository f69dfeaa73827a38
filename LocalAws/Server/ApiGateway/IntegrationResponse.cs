using System.Text;
using System.Text.Json;

namespace Tap.LocalAws.ApiGateway;

/// <summary>
/// A function's answer as API Gateway reads it under payload format 2.0: an object with <c>statusCode</c> is the
/// response format (headers, <c>cookies</c> → <c>Set-Cookie</c>, a base64 body when flagged); any other JSON is
/// "inferred" — 200, <c>content-type: application/json</c>, and as body the string's text or the JSON itself.
/// Anything else is no answer (<see langword="null"/>), which API Gateway reports as 500.
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
        if (!status.TryGetInt32(out var statusCode) || statusCode is < 100 or > 599)
        {
            return null;
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("headers", out var headerObject) && headerObject.ValueKind != JsonValueKind.Null)
        {
            foreach (var header in headerObject.EnumerateObject())
            {
                headers.Add(new(header.Name, Scalar(header.Value) ?? throw new FormatException("A header value is not a scalar.")));
            }
        }

        var cookies = new List<string>();
        if (root.TryGetProperty("cookies", out var cookieArray) && cookieArray.ValueKind != JsonValueKind.Null)
        {
            cookies.AddRange(cookieArray.EnumerateArray().Select(c => c.GetString() ?? throw new FormatException("A cookie is null.")));
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
}
