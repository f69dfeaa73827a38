using System.Text.Json;

namespace Amazon.SecretsManager.Extensions.Caching;

/// <summary>
/// A secret version held in memory, its JSON parsed once. <see cref="ToString"/> never includes the value, so the
/// object is safe to log.
/// </summary>
public sealed class CachedSecret
{
    private readonly Dictionary<string, string?>? _json;

    internal CachedSecret(string? arn, string? name, string? versionId, string? secretString)
    {
        ARN = arn;
        Name = name;
        VersionId = versionId;
        SecretString = secretString;
        _json = TryParseObject(secretString);
    }

    public string? ARN { get; }

    public string? Name { get; }

    public string? VersionId { get; }

    /// <summary>The secret's value. Treat as sensitive: never log it.</summary>
    public string? SecretString { get; }

    /// <summary>Whether the value is a JSON object (the usual shape of configuration secrets).</summary>
    public bool IsJsonObject => _json is not null;

    /// <summary>The JSON object's key names (empty when the value is not a JSON object).</summary>
    public IReadOnlyCollection<string> Keys => _json?.Keys ?? (IReadOnlyCollection<string>)[];

    /// <summary>A top-level JSON value as a string (strings as is, other values as JSON text).</summary>
    public bool TryGetValue(string key, out string? value)
    {
        value = null;
        return _json?.TryGetValue(key, out value) == true;
    }

    public override string ToString() => $"CachedSecret {{ Name = {Name}, VersionId = {VersionId}, Keys = {Keys.Count} }}";

    private static Dictionary<string, string?>? TryParseObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var result = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => property.Value.GetRawText(),
                };
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
