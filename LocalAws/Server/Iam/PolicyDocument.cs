using System.Text.Json;

namespace Tap.LocalAws.Iam;

/// <summary>An IAM policy in AWS's grammar. Parsed from JSON as written, so <c>"Action": "*"</c> and
/// string-or-array members keep their meaning.</summary>
public sealed record PolicyDocument(string? Version, IReadOnlyList<PolicyStatement> Statements)
{
    public static PolicyDocument Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Parse(document.RootElement);
    }

    public static PolicyDocument Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException("A policy must be a JSON object.");
        }

        string? version = null;
        if (root.TryGetProperty(nameof(Version), out var v))
        {
            version = v.ValueKind == JsonValueKind.String ? v.GetString() : throw new PolicyFormatException("The policy Version must be a string such as \"2012-10-17\".");
        }

        if (version is not null and not "2012-10-17" and not "2008-10-17")
        {
            throw new PolicyFormatException($"The policy Version '{version}' is not valid; use 2012-10-17.");
        }

        if (!root.TryGetProperty("Statement", out var statements))
        {
            throw new PolicyFormatException("A policy must have a Statement.");
        }

        var list = statements.ValueKind == JsonValueKind.Array
            ? statements.EnumerateArray().Select(PolicyStatement.Parse).ToList()
            : [PolicyStatement.Parse(statements)];
        return new PolicyDocument(version, list);
    }
}

/// <summary>A policy document is malformed; the message says how.</summary>
public sealed class PolicyFormatException(string message) : Exception(message);
