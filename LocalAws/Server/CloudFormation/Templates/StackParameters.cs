using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>A parameter's value for one stack: as given (or its default), and what <c>Ref</c> gives.</summary>
/// <param name="Value">The value as given; for an SSM parameter type, the SSM parameter's name.</param>
/// <param name="ResolvedValue">For an SSM parameter type, the SSM parameter's value.</param>
/// <param name="Node">What <c>Ref</c> to it gives: a string, or a list for list types.</param>
public sealed record StackParameter(ParameterDeclaration Declaration, string Value, string? ResolvedValue, JsonNode Node)
{
    /// <summary>The value as answers show it: masked when the parameter is <c>NoEcho</c>.</summary>
    public string ShownValue => Declaration.NoEcho ? ParameterDeclaration.Masked : Value;

    public string? ShownResolvedValue => ResolvedValue is null ? null : Declaration.NoEcho ? ParameterDeclaration.Masked : ResolvedValue;
}

/// <summary>A stack's parameter values: given ones, else defaults, checked against each declaration's constraints in CloudFormation's wording.</summary>
public static class StackParameters
{
    /// <param name="template">The template that declares them.</param>
    /// <param name="given">The values the caller passed.</param>
    /// <param name="ssmValue">The value of an SSM parameter by name, or null when there is none.</param>
    public static IReadOnlyDictionary<string, StackParameter> Resolve(Template template, IReadOnlyDictionary<string, string> given, Func<string, string?> ssmValue)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(ssmValue);
        var undeclared = given.Keys.Where(name => !template.Parameters.ContainsKey(name)).ToList();
        if (undeclared.Count > 0)
        {
            throw new TemplateException($"Parameters: [{string.Join(", ", undeclared)}] do not exist in the template");
        }

        var missing = template.Parameters.Values.Where(p => !given.ContainsKey(p.Name) && p.Default is null).Select(p => p.Name).ToList();
        if (missing.Count > 0)
        {
            throw new TemplateException($"Parameters: [{string.Join(", ", missing)}] must have values");
        }

        var resolved = new Dictionary<string, StackParameter>(StringComparer.Ordinal);
        var unfetched = new List<string>();
        foreach (var declaration in template.Parameters.Values)
        {
            var value = given.TryGetValue(declaration.Name, out var v) ? v : declaration.Default!;
            Check(declaration, value);
            string? resolvedValue = null;
            var effective = value;
            if (declaration.IsSsmValue)
            {
                resolvedValue = ssmValue(value);
                if (resolvedValue is null)
                {
                    unfetched.Add(value);
                    continue;
                }

                effective = resolvedValue;
            }

            resolved[declaration.Name] = new StackParameter(declaration, value, resolvedValue, Node(declaration, effective));
        }

        return unfetched.Count == 0
            ? resolved
            : throw new TemplateException($"Unable to fetch parameters [{string.Join(",", unfetched)}] from parameter store for this account.");
    }

    private static JsonNode Node(ParameterDeclaration declaration, string value)
    {
        if (!declaration.IsList)
        {
            return JsonValue.Create(value);
        }

        var items = value.Length == 0 ? [] : value.Split(',').Select(item => item.Trim()).ToArray();
        if (declaration.ValueType == "List<Number>" && items.Any(item => !IsNumber(item)))
        {
            throw new TemplateException($"Parameter '{declaration.Name}' must be a list of numbers");
        }

        return new JsonArray([.. items.Select(item => (JsonNode)JsonValue.Create(item))]);
    }

    private static void Check(ParameterDeclaration declaration, string value)
    {
        var name = declaration.Name;
        string? violation = null;
        if (declaration.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
        {
            violation = $"Parameter '{name}' must be one of AllowedValues";
        }
        else if (declaration.AllowedPattern is { } pattern && !Regex.IsMatch(value, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            violation = $"Parameter '{name}' must match pattern {pattern}";
        }
        else if (declaration.MinLength is { } min && value.Length < min)
        {
            violation = $"Parameter '{name}' must contain at least {min} characters";
        }
        else if (declaration.MaxLength is { } max && value.Length > max)
        {
            violation = $"Parameter '{name}' must contain at most {max} characters";
        }
        else if (declaration.ValueType == "Number")
        {
            if (!IsNumber(value))
            {
                violation = $"Parameter '{name}' must be a number";
            }
            else if (declaration.MinValue is { } least && double.Parse(value, CultureInfo.InvariantCulture) < least)
            {
                violation = $"Parameter '{name}' must be a number not less than {least.ToString(CultureInfo.InvariantCulture)}";
            }
            else if (declaration.MaxValue is { } most && double.Parse(value, CultureInfo.InvariantCulture) > most)
            {
                violation = $"Parameter '{name}' must be a number not greater than {most.ToString(CultureInfo.InvariantCulture)}";
            }
        }

        if (violation is not null)
        {
            // A constraint description replaces the generic wording, as CloudFormation does; the value is never quoted.
            throw new TemplateException(declaration.ConstraintDescription is { } description ? $"Parameter '{name}' failed to satisfy constraint: {description}" : violation);
        }
    }

    private static bool IsNumber(string value) => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number);
}
