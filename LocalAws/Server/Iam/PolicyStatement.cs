using System.Text.Json;

namespace Tap.LocalAws.Iam;

public enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>One statement: effect, actions (or not-actions), resources (or not-resources) and conditions.</summary>
public sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    IReadOnlyList<string>? Actions,
    IReadOnlyList<string>? NotActions,
    IReadOnlyList<string>? Resources,
    IReadOnlyList<string>? NotResources,
    IReadOnlyList<PolicyCondition> Conditions)
{
    /// <summary>
    /// For resource-based policies: the principals the statement applies to (<c>*</c>, or AWS ARNs and account ids);
    /// <see langword="null"/> in identity-based policies, which have no Principal element.
    /// </summary>
    public IReadOnlyList<string>? Principals { get; init; }

    public static PolicyStatement Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException("Each Statement must be a JSON object.");
        }

        var effect = Text(element, "Effect") switch
        {
            "Allow" => PolicyEffect.Allow,
            "Deny" => PolicyEffect.Deny,
            var other => throw new PolicyFormatException($"Effect must be Allow or Deny, not '{other}'."),
        };
        var actions = StringOrArray(element, "Action");
        var notActions = StringOrArray(element, "NotAction");
        if ((actions is null) == (notActions is null))
        {
            throw new PolicyFormatException("A Statement needs exactly one of Action or NotAction.");
        }

        var resources = StringOrArray(element, "Resource");
        var notResources = StringOrArray(element, "NotResource");
        if (resources is not null && notResources is not null)
        {
            throw new PolicyFormatException("A Statement cannot have both Resource and NotResource.");
        }

        var conditions = element.TryGetProperty("Condition", out var condition)
            ? PolicyCondition.ParseBlock(condition)
            : [];
        return new PolicyStatement(Text(element, "Sid"), effect, actions, notActions, resources, notResources, conditions)
        {
            Principals = element.TryGetProperty("Principal", out var principal) ? ParsePrincipal(principal) : null,
        };
    }

    private static List<string> ParsePrincipal(JsonElement principal)
    {
        if (principal.ValueKind == JsonValueKind.String)
        {
            return principal.GetString() == "*" ? ["*"] : throw new PolicyFormatException("Principal must be \"*\" or an object such as {\"AWS\": …}.");
        }

        if (principal.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException("Principal must be \"*\" or an object such as {\"AWS\": …}.");
        }

        var result = new List<string>();
        foreach (var kind in principal.EnumerateObject())
        {
            var values = StringOrArray(principal, kind.Name) ?? [];
            // Only AWS principals can be callers here; service principals are kept but never match a caller.
            result.AddRange(kind.NameEquals("AWS") ? values : values.Select(v => $"{kind.Name}:{v}"));
        }

        return result;
    }

    private static string? Text(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new PolicyFormatException($"{name} must be a string.");
    }

    internal static List<string>? StringOrArray(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new PolicyFormatException($"{name} entries must be strings.")).ToList(),
            _ => throw new PolicyFormatException($"{name} must be a string or an array of strings."),
        };
    }
}
