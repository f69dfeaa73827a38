using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Tap.LocalAws.CloudFormation.Templates;

/// <summary>
/// CloudFormation's intrinsic functions over a JSON tree, as its documentation defines them: <c>Ref</c>,
/// <c>Fn::GetAtt</c>, <c>Fn::Join</c>, <c>Fn::Sub</c> (both forms), <c>Fn::Select</c>, <c>Fn::Split</c>,
/// <c>Fn::If</c>, the condition functions, <c>Fn::Contains</c> and the rule functions, <c>Fn::FindInMap</c>,
/// <c>Fn::GetAZs</c>, <c>Fn::Base64</c>, <c>Fn::ImportValue</c>, <c>Fn::Length</c> and <c>Fn::ToJsonString</c>.
/// A value of <c>AWS::NoValue</c> removes the property or list item that holds it.
/// </summary>
public static partial class Intrinsics
{
    private static readonly string[] Supported =
    [
        "Fn::Base64", "Fn::Contains", "Fn::EachMemberEquals", "Fn::EachMemberIn", "Fn::FindInMap", "Fn::GetAZs", "Fn::GetAtt", "Fn::ImportValue",
        "Fn::Join", "Fn::Length", "Fn::Select", "Fn::Split", "Fn::Sub", "Fn::ToJsonString", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Ref", "Condition",
    ];

    /// <summary>The value of <c>Ref: AWS::NoValue</c>: compared by reference, never stored in a tree.</summary>
    public static readonly JsonNode NoValue = JsonValue.Create("AWS::NoValue");

    /// <summary>Resolves every function in <paramref name="node"/>; the result is a new tree.</summary>
    public static JsonNode? Evaluate(JsonNode? node, ITemplateScope scope, JsonObject mappings)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(mappings);
        var result = new Evaluator(scope, mappings).Value(node);
        return ReferenceEquals(result, NoValue) ? null : result;
    }

    /// <summary>A condition (<c>Fn::Equals</c>, <c>Fn::And</c>, …, or <c>{"Condition": name}</c>) to its truth.</summary>
    public static bool IsTrue(JsonNode? condition, ITemplateScope scope, JsonObject mappings)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(mappings);
        return new Evaluator(scope, mappings).Truth(condition, "Conditions");
    }

    /// <summary>The name of the one intrinsic function <paramref name="node"/> calls, if it is a call.</summary>
    public static string? FunctionName(JsonNode? node) =>
        node is JsonObject { Count: 1 } call && call.First() is var (name, _) && (name == "Ref" || name.StartsWith("Fn::", StringComparison.Ordinal)) ? name : null;

    /// <summary>A value as the functions that take strings read it: numbers and booleans as their JSON text.</summary>
    internal static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var text) ? text : value.ToJsonString()
        : null;

    private sealed class Evaluator(ITemplateScope scope, JsonObject mappings)
    {
        public JsonNode? Value(JsonNode? node) => node switch
        {
            JsonObject call when FunctionName(call) is { } name => Call(name, call[name]),
            JsonObject map => Map(map),
            JsonArray list => List(list),
            null => null,
            _ => node.DeepClone(),
        };

        public bool Truth(JsonNode? node, string where)
        {
            if (node is JsonObject { Count: 1 } reference && reference["Condition"] is { } name)
            {
                return scope.Condition(Text(name) ?? throw TemplateException.Format("Condition must be a string."));
            }

            return Text(Value(node)) switch
            {
                "true" => true,
                "false" => false,
                _ => throw NotACondition(where),
            };
        }

        private static TemplateException NotACondition(string where) => TemplateException.Format($"{where} must evaluate to a condition (Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition).");

        private JsonObject Map(JsonObject map)
        {
            var result = new JsonObject();
            foreach (var (key, child) in map)
            {
                var value = Value(child);
                if (!ReferenceEquals(value, NoValue))
                {
                    result[key] = value;
                }
            }

            return result;
        }

        private JsonArray List(JsonArray list)
        {
            var result = new JsonArray();
            foreach (var child in list)
            {
                var value = Value(child);
                if (!ReferenceEquals(value, NoValue))
                {
                    result.Add(value);
                }
            }

            return result;
        }

        private JsonNode? Call(string name, JsonNode? argument) => name switch
        {
            "Ref" => Ref(argument),
            "Fn::GetAtt" => GetAtt(argument),
            "Fn::Join" => Join(argument),
            "Fn::Sub" => Sub(argument),
            "Fn::Select" => Select(argument),
            "Fn::Split" => Split(argument),
            "Fn::If" => If(argument),
            "Fn::Equals" => Bool(Equals(argument)),
            "Fn::And" => Bool(Arguments(argument, name, 2, 10).All(c => Truth(c, name))),
            "Fn::Or" => Bool(Arguments(argument, name, 2, 10).Any(c => Truth(c, name))),
            "Fn::Not" => Bool(!Truth(Arguments(argument, name, 1, 1)[0], name)),
            "Fn::Contains" => Bool(Contains(argument)),
            "Fn::EachMemberEquals" => Bool(EachMember(argument, name, (members, value) => members.All(m => m == value[0]))),
            "Fn::EachMemberIn" => Bool(EachMember(argument, name, (members, values) => members.All(values.Contains))),
            "Fn::FindInMap" => FindInMap(argument),
            "Fn::GetAZs" => GetAZs(argument),
            "Fn::Base64" => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(String(Value(argument), name)))),
            "Fn::ImportValue" => JsonValue.Create(scope.ImportValue(String(Value(argument), name))),
            "Fn::Length" => JsonValue.Create(Value(argument) is JsonArray list ? list.Count : throw TemplateException.Error("Fn::Length requires a list.")),
            "Fn::ToJsonString" => JsonValue.Create(Value(argument) is (JsonObject or JsonArray) and var json ? json.ToJsonString() : throw TemplateException.Error("Fn::ToJsonString requires an object or a list.")),
            _ => throw TemplateException.Format($"Encountered unsupported function: {name} Supported functions are: [{string.Join(", ", Supported)}]"),
        };

        private static JsonValue Bool(bool value) => JsonValue.Create(value);

        private JsonNode Ref(JsonNode? argument)
        {
            var name = Text(argument) ?? throw TemplateException.Format("Every Ref object must have a single String value.");
            return name == "AWS::NoValue"
                ? NoValue
                : scope.Ref(name)?.DeepClone() ?? throw TemplateException.Format($"Unresolved resource dependencies [{name}] in the Resources block of the template");
        }

        private JsonNode GetAtt(JsonNode? argument)
        {
            var (resource, attribute) = argument switch
            {
                JsonValue dotted when Text(dotted) is { } text && text.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot => (text[..dot], text[(dot + 1)..]),
                JsonArray { Count: 2 } pair when Text(pair[0]) is { } name => (name, String(Value(pair[1]), "Fn::GetAtt")),
                _ => throw TemplateException.Error("every Fn::GetAtt object requires two non-empty parameters."),
            };
            return scope.GetAtt(resource, attribute).DeepClone();
        }

        private JsonValue Join(JsonNode? argument)
        {
            var (delimiter, values) = Arguments(argument, "Fn::Join", 2, 2) is var a ? (String(Value(a[0]), "Fn::Join"), Value(a[1])) : default;
            return values is JsonArray list
                ? JsonValue.Create(string.Join(delimiter, list.Select(item => String(item, "Fn::Join"))))
                : throw TemplateException.Error("every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.");
        }

        private JsonValue Sub(JsonNode? argument)
        {
            var (text, variables) = argument switch
            {
                JsonValue value when Text(value) is { } t => (t, new JsonObject()),
                JsonArray { Count: 2 } pair when Text(pair[0]) is { } t && pair[1] is JsonObject map => (t, Map(map)),
                _ => throw TemplateException.Error("One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string"),
            };
            var result = new StringBuilder(text.Length);
            var at = 0;
            while (at < text.Length)
            {
                var open = text.IndexOf("${", at, StringComparison.Ordinal);
                if (open < 0)
                {
                    result.Append(text, at, text.Length - at);
                    break;
                }

                result.Append(text, at, open - at);
                var close = text.IndexOf('}', open);
                if (close < 0)
                {
                    result.Append(text, open, text.Length - open);
                    break;
                }

                var name = text[(open + 2)..close];
                if (name.StartsWith('!'))
                {
                    // ${!Literal} is the text ${Literal}.
                    result.Append("${").Append(name, 1, name.Length - 1).Append('}');
                }
                else
                {
                    result.Append(Variable(name, variables));
                }

                at = close + 1;
            }

            return JsonValue.Create(result.ToString());
        }

        private string Variable(string name, JsonObject variables)
        {
            if (variables.TryGetPropertyValue(name, out var value))
            {
                return String(value, "Fn::Sub");
            }

            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var resolved = dot > 0 ? scope.GetAtt(name[..dot], name[(dot + 1)..]) : scope.Ref(name)
                ?? throw TemplateException.Format($"Unresolved resource dependencies [{name}] in the Resources block of the template");
            return Text(resolved) ?? throw TemplateException.Error($"variable {name} in Fn::Sub expression does not resolve to a string");
        }

        private JsonNode? Select(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::Select", 2, 2);
            var index = int.TryParse(Text(Value(a[0])), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw TemplateException.Error("Fn::Select requires a list argument with two elements: an integer index and a list");
            var list = Value(a[1]) as JsonArray ?? throw TemplateException.Error("Fn::Select requires a list argument with two elements: an integer index and a list");
            return index >= 0 && index < list.Count ? list[index]?.DeepClone() : throw TemplateException.Error($"Fn::Select cannot select nonexistent value at index {index}");
        }

        private JsonArray Split(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::Split", 2, 2);
            var delimiter = String(Value(a[0]), "Fn::Split");
            var source = String(Value(a[1]), "Fn::Split");
            return delimiter.Length == 0
                ? throw TemplateException.Error("Fn::Split requires a non-empty delimiter")
                : new JsonArray([.. source.Split(delimiter).Select(part => (JsonNode)JsonValue.Create(part))]);
        }

        private JsonNode? If(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::If", 3, 3);
            var condition = Text(a[0]) ?? throw TemplateException.Error("Fn::If requires a list argument with the first element being a condition");
            return Value(scope.Condition(condition) ? a[1] : a[2]);
        }

        private bool Equals(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::Equals", 2, 2);
            var (left, right) = (Value(a[0]), Value(a[1]));
            return Text(left) is { } l && Text(right) is { } r ? l == r : JsonNode.DeepEquals(left, right);
        }

        private bool Contains(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::Contains", 2, 2);
            var list = Value(a[0]) as JsonArray ?? throw TemplateException.Error("Fn::Contains requires a list of strings and a string.");
            var value = Text(Value(a[1]));
            return list.Any(item => Text(item) == value);
        }

        private bool EachMember(JsonNode? argument, string name, Func<List<string?>, List<string?>, bool> test)
        {
            var a = Arguments(argument, name, 2, 2);
            var members = Value(a[0]) as JsonArray ?? throw TemplateException.Error($"{name} requires a list of strings first.");
            var other = Value(a[1]);
            return test([.. members.Select(Text)], other is JsonArray values ? [.. values.Select(Text)] : [Text(other)]);
        }

        private JsonNode? FindInMap(JsonNode? argument)
        {
            var a = Arguments(argument, "Fn::FindInMap", 3, 3);
            var (map, top, second) = (String(Value(a[0]), "Fn::FindInMap"), String(Value(a[1]), "Fn::FindInMap"), String(Value(a[2]), "Fn::FindInMap"));
            return mappings[map] is JsonObject m && m[top] is JsonObject t && t.TryGetPropertyValue(second, out var value)
                ? value?.DeepClone()
                : throw TemplateException.Error($"Unable to get mapping for {map}::{top}::{second}");
        }

        private JsonArray GetAZs(JsonNode? argument)
        {
            var region = Text(Value(argument)) is { Length: > 0 } named ? named : scope.Region;
            return new JsonArray([.. "abc".Select(zone => (JsonNode)JsonValue.Create(region + zone))]);
        }

        private static JsonArray Arguments(JsonNode? argument, string name, int least, int most) =>
            argument is JsonArray list && list.Count >= least && list.Count <= most
                ? list
                : throw TemplateException.Error($"{name} takes a list of {(least == most ? least.ToString(CultureInfo.InvariantCulture) : $"{least} to {most}")} arguments.");

        private static string String(JsonNode? value, string function) =>
            Text(value) ?? throw TemplateException.Error($"{function} requires a string where it was given {value?.ToJsonString() ?? "null"}.");
    }
}
