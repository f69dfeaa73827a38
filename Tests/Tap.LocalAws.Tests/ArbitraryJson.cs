using System.Text.Json.Nodes;
using Amazon.SecretsManager.Model;
using CsCheck;

namespace Tap.LocalAws.Tests;

/// <summary>
/// Generators of JSON a careless or hostile client might send: nulls, wrong types, numbers at and beyond every
/// integer type's range, empty, long and non-ASCII strings, names of real secrets, and arrays and objects nested deep.
/// </summary>
public static class ArbitraryJson
{
    private static readonly string[] Words =
        ["", "AWSCURRENT", "AWSPREVIOUS", "name", "tag-key", "all", "!", "asc", "desc", "*", "arn:aws:secretsmanager:us-east-1:000000000000:secret:", "é🔑", "null", "\u0000"];

    private static readonly Gen<JsonNode?> Number = Gen.OneOf<JsonNode?>(
        Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Select(d => (JsonNode?)(double.IsFinite(d) ? JsonValue.Create(d) : JsonValue.Create(1e308))),
        Gen.Int[0, 5].Select(i => (JsonNode?)(i switch
        {
            // Fresh nodes each time: a JSON node can belong to one parent only.
            0 => JsonValue.Create(0),
            1 => JsonValue.Create(-1),
            2 => JsonValue.Create(int.MaxValue),
            3 => JsonValue.Create(long.MaxValue),
            4 => JsonValue.Create(ulong.MaxValue),
            _ => JsonValue.Create(7.9e28m),
        })));

    /// <summary>Strings: short and long, words the service gives meaning to, and the names of <paramref name="names"/>.</summary>
    public static Gen<JsonNode?> Text(IReadOnlyList<string> names) => Gen.OneOf<JsonNode?>(
        Gen.String[0, 40].Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Char.AlphaNumeric.Array[0, 3000].Select(c => (JsonNode?)JsonValue.Create(new string(c))),
        Gen.OneOf(Words).Select(w => (JsonNode?)JsonValue.Create(w)),
        Gen.OneOf([.. names]).Select(n => (JsonNode?)JsonValue.Create(n)));

    /// <summary>Any JSON value, nested up to a depth where the parser's own limit is also tried.</summary>
    public static Gen<JsonNode?> Value(IReadOnlyList<string> names, IReadOnlyList<string> memberNames)
    {
        var scalar = Gen.Frequency<JsonNode?>(
            (2, Gen.Const(() => (JsonNode?)null)),
            (1, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
            (3, Number),
            (6, Text(names)));
        return Gen.Recursive<JsonNode?>((depth, inner) => depth >= 4
            ? scalar
            : Gen.Frequency(
                (6, scalar),
                (2, inner.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items))),
                (2, Gen.Select(Gen.OneOf([.. memberNames]).Array[0, 3], inner.Array[3], (keys, values) =>
                {
                    var obj = new JsonObject();
                    for (var i = 0; i < keys.Length; i++)
                    {
                        obj[keys[i]] = values[i];
                    }

                    return (JsonNode?)obj;
                })),
                (1, Gen.Int[60, 200].Select(Deep))));
    }

    /// <summary>
    /// Mostly values of the member's own shape (so a request gets past parsing into the operation), each element
    /// or field sometimes null or out of range, and now and then anything at all.
    /// </summary>
    public static Gen<JsonNode?> ForMember(Type type, IReadOnlyList<string> names, Gen<JsonNode?> anything)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = Text(names);
        var nullable = Gen.Frequency((1, Gen.Const(() => (JsonNode?)null)), (5, text));
        Gen<JsonNode?> shaped =
            type == typeof(string) ? text
            : type == typeof(int?) || type == typeof(long?) ? Number
            : type == typeof(bool?) ? Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))
            : type == typeof(MemoryStream) ? Gen.Byte.Array[0, 64].Select(b => (JsonNode?)JsonValue.Create(Convert.ToBase64String(b)))
            : type == typeof(List<string>) ? ArrayOf(nullable)
            : type == typeof(List<Tag>) ? ArrayOf(Gen.Frequency((1, Gen.Const(() => (JsonNode?)null)), (6, ObjectOf(("Key", nullable), ("Value", nullable)))))
            : type == typeof(List<Filter>) ? ArrayOf(Gen.Frequency(
                (1, Gen.Const(() => (JsonNode?)null)),
                (6, ObjectOf(("Key", Gen.Frequency((4, Gen.OneOf("name", "description", "tag-key", "tag-value", "all").Select(k => (JsonNode?)JsonValue.Create(k))), (1, nullable))), ("Values", ArrayOf(nullable))))))
            : anything;
        return Gen.Frequency((5, shaped), (1, anything));
    }

    /// <summary>One value from each generator, in order.</summary>
    public static Gen<JsonNode?[]> All(IEnumerable<Gen<JsonNode?>> generators) =>
        generators.Aggregate(Gen.Const(() => Array.Empty<JsonNode?>()), (all, next) => Gen.Select(all, next, (values, value) => (JsonNode?[])[.. values, value]));

    private static Gen<JsonNode?> ArrayOf(Gen<JsonNode?> element) => element.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items));

    private static Gen<JsonNode?> ObjectOf(params (string Name, Gen<JsonNode?> Value)[] fields) =>
        Gen.Select(Gen.Bool.Array[fields.Length], All(fields.Select(f => f.Value)), (present, values) =>
        {
            var obj = new JsonObject();
            for (var i = 0; i < fields.Length; i++)
            {
                if (present[i])
                {
                    obj[fields[i].Name] = values[i];
                }
            }

            return (JsonNode?)obj;
        });

    /// <summary>Arrays nested <paramref name="depth"/> deep: past the parser's limit of 64.</summary>
    private static JsonNode? Deep(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonArray(node);
        }

        return node;
    }
}
