using System.Text.Json;

namespace Tap.LocalAws.Iam;

/// <summary>
/// One condition: <c>"StringEquals": { "aws:PrincipalArn": ["…"] }</c>. Operators supported: StringEquals,
/// StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnLike, ArnNotLike, Bool, Null; the IfExists forms too.
/// </summary>
public sealed record PolicyCondition(string Operator, string Key, IReadOnlyList<string> Values)
{
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal)
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringLike", "StringNotLike",
        "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Bool", "Null",
    };

    public static List<PolicyCondition> ParseBlock(JsonElement block)
    {
        if (block.ValueKind != JsonValueKind.Object)
        {
            throw new PolicyFormatException("Condition must be a JSON object.");
        }

        var conditions = new List<PolicyCondition>();
        foreach (var op in block.EnumerateObject())
        {
            var baseOperator = op.Name.EndsWith("IfExists", StringComparison.Ordinal) ? op.Name[..^"IfExists".Length] : op.Name;
            if (!Operators.Contains(baseOperator))
            {
                throw new PolicyFormatException($"Condition operator '{op.Name}' is not supported.");
            }

            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                throw new PolicyFormatException($"Condition operator '{op.Name}' must map keys to values.");
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                var values = key.Value.ValueKind == JsonValueKind.Array
                    ? key.Value.EnumerateArray().Select(Scalar).ToList()
                    : [Scalar(key.Value)];
                conditions.Add(new PolicyCondition(op.Name, key.Name, values));
            }
        }

        return conditions;
    }

    /// <summary>Whether the request context satisfies this condition. Context keys are case-insensitive, as in IAM.</summary>
    public bool IsSatisfied(IReadOnlyDictionary<string, string> context)
    {
        var ifExists = Operator.EndsWith("IfExists", StringComparison.Ordinal);
        var op = ifExists ? Operator[..^"IfExists".Length] : Operator;
        var present = context.TryGetValue(Key, out var actual);

        if (op == "Null")
        {
            // "Null": {"key": "true"} means the key must be absent.
            return Values.Any(v => bool.TryParse(v, out var mustBeAbsent) && mustBeAbsent != present);
        }

        if (!present)
        {
            // A missing key satisfies IfExists; otherwise only negated operators match (nothing to equal).
            return ifExists || op.Contains("Not", StringComparison.Ordinal);
        }

        return op switch
        {
            "StringEquals" or "ArnEquals" => Values.Any(v => string.Equals(v, actual, StringComparison.Ordinal)),
            "StringNotEquals" or "ArnNotEquals" => Values.All(v => !string.Equals(v, actual, StringComparison.Ordinal)),
            "StringEqualsIgnoreCase" => Values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            "StringLike" or "ArnLike" => Values.Any(v => WildcardPattern.IsMatch(v, actual!, ignoreCase: false)),
            "StringNotLike" or "ArnNotLike" => Values.All(v => !WildcardPattern.IsMatch(v, actual!, ignoreCase: false)),
            "Bool" => Values.Any(v => string.Equals(v, actual, StringComparison.OrdinalIgnoreCase)),
            _ => false,
        };
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new PolicyFormatException("Condition values must be strings, booleans or numbers."),
    };
}
