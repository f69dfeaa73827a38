using System.Globalization;
using System.Text;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>
/// Checks a request against its modeled constraints (required, lengths, ranges, patterns, list sizes) and reports
/// every violation at once, as AWS's <c>ValidationException</c> does: "2 validation errors detected: Value … at
/// 'tags.1.member.key' failed to satisfy constraint: …". Values are quoted only where they cannot be secret.
/// </summary>
internal sealed class ShapeValidator
{
    private readonly List<string> _errors = [];

    public ShapeValidator Required(string member, object? value)
    {
        if (value is null)
        {
            _errors.Add($"Value null at '{member}' failed to satisfy constraint: Member must not be null");
        }

        return this;
    }

    /// <summary>A string's length in characters; <paramref name="quote"/> only for values that are never secret.</summary>
    public ShapeValidator Length(string member, string? value, int min, int max, bool quote = true)
    {
        if (value is not null && (value.Length < min || value.Length > max))
        {
            _errors.Add($"{Describe(member, value, quote)} failed to satisfy constraint: Member must have length {Range(min, max)}");
        }

        return this;
    }

    /// <summary>A secret value's size in UTF-8 bytes (never quoted).</summary>
    public ShapeValidator ByteLength(string member, string? value, int max)
    {
        if (value is not null && Encoding.UTF8.GetByteCount(value) > max)
        {
            _errors.Add($"Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }

        return this;
    }

    public ShapeValidator ByteLength(string member, MemoryStream? value, int max)
    {
        if (value is not null && value.Length > max)
        {
            _errors.Add($"Value at '{member}' failed to satisfy constraint: Member must have length less than or equal to {max}");
        }

        return this;
    }

    public ShapeValidator Pattern(string member, string? value, Func<string, bool> matches, string pattern)
    {
        if (value is not null && !matches(value))
        {
            _errors.Add($"{Describe(member, value, quote: true)} failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}");
        }

        return this;
    }

    public ShapeValidator Range(string member, long? value, long min, long max)
    {
        if (value is not null && (value < min || value > max))
        {
            _errors.Add($"Value '{value.Value.ToString(CultureInfo.InvariantCulture)}' at '{member}' failed to satisfy constraint: Member must have value {Range(min, max)}");
        }

        return this;
    }

    public ShapeValidator OneOf(string member, string? value, IReadOnlyCollection<string> allowed)
    {
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            _errors.Add($"{Describe(member, value, quote: true)} failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }

        return this;
    }

    /// <summary>A list: its size, and each element (never null) checked by <paramref name="element"/> as <c>member.N</c>.</summary>
    public ShapeValidator List<T>(string member, IReadOnlyList<T?>? items, int min, int max, Action<ShapeValidator, string, T>? element = null)
        where T : class
    {
        if (items is null)
        {
            return this;
        }

        if (items.Count < min || items.Count > max)
        {
            _errors.Add($"Value at '{member}' failed to satisfy constraint: Member must have length {Range(min, max)}");
        }

        for (var i = 0; i < items.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{member}.{i + 1}.member");
            if (items[i] is { } item)
            {
                element?.Invoke(this, path, item);
            }
            else
            {
                _errors.Add($"Value null at '{path}' failed to satisfy constraint: Member must not be null");
            }
        }

        return this;
    }

    /// <summary>Throws AWS's <c>ValidationException</c> naming every violation found.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw AwsServiceException.Json("ValidationException",
                $"{_errors.Count} validation error{(_errors.Count == 1 ? string.Empty : "s")} detected: {string.Join("; ", _errors)}");
        }
    }

    private static string Describe(string member, string value, bool quote) =>
        quote && value.Length <= 256 ? $"Value '{value}' at '{member}'" : $"Value at '{member}'";

    private static string Range(long min, long max) => $"{(min == 0 ? "less than or equal to " + max.ToString(CultureInfo.InvariantCulture) : $"between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}")}";
}
