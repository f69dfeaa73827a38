using System.Text.Json;
using Amazon.SecretsManager.Model;

namespace Tap.Aws.SecretsManager;

/// <summary>
/// A secret version whose value is a JSON object (the usual shape of configuration secrets), parsed once.
/// <see cref="ToString"/> never includes a value, so the object is safe to log.
/// </summary>
public sealed class SecretJson
{
    private readonly Dictionary<string, string?>? _values;

    private SecretJson(string? arn, string? name, string? versionId, Dictionary<string, string?>? values)
    {
        ARN = arn;
        Name = name;
        VersionId = versionId;
        _values = values;
    }

    public string? ARN { get; }

    public string? Name { get; }

    public string? VersionId { get; }

    /// <summary>Whether the value is a JSON object; when it is not, <see cref="Keys"/> is empty.</summary>
    public bool IsJsonObject => _values is not null;

    /// <summary>The object's key names.</summary>
    public IReadOnlyCollection<string> Keys => _values?.Keys ?? (IReadOnlyCollection<string>)[];

    /// <summary>A top-level value as a string (strings as they are, other values as JSON text). Sensitive: never log it.</summary>
    public bool TryGetValue(string key, out string? value)
    {
        value = null;
        return _values?.TryGetValue(key, out value) == true;
    }

    public override string ToString() => $"SecretJson {{ Name = {Name}, VersionId = {VersionId}, Keys = {Keys.Count} }}";

    /// <summary>Parses <paramref name="response"/>'s <c>SecretString</c>.</summary>
    public static SecretJson From(GetSecretValueResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new SecretJson(response.ARN, response.Name, response.VersionId, TryParseObject(response.SecretString));
    }

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
