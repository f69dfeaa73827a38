using System.Text.Json.Nodes;
using CsCheck;

namespace Tap.Testing;

/// <summary>
/// Generators of JSON a careless or hostile client might send: nulls, wrong types, numbers at and beyond every
/// integer type's range, empty, long and non-ASCII strings, names of real secrets, and arrays and objects nested deep.
/// </summary>
public static class ArbitraryJson
{
    private static readonly string[] Words =
        ["", "AWSCURRENT", "AWSPREVIOUS", "name", "tag-key", "all", "!", "asc", "desc", "*", "arn:aws:secretsmanager:us-east-1:000000000000:secret:", "é🔑", "null", "\u0000"];

    /// <summary>Numbers: any int, long or double, and every integer type's edges.</summary>
    public static readonly Gen<JsonNode?> Number = Gen.OneOf<JsonNode?>(
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

    /// <summary>One value from each generator, in order.</summary>
    public static Gen<JsonNode?[]> All(IEnumerable<Gen<JsonNode?>> generators) =>
        generators.Aggregate(Gen.Const(() => Array.Empty<JsonNode?>()), (all, next) => Gen.Select(all, next, (values, value) => (JsonNode?[])[.. values, value]));

    /// <summary>Arrays of 0–4 elements.</summary>
    public static Gen<JsonNode?> ArrayOf(Gen<JsonNode?> element) => element.Array[0, 4].Select(items => (JsonNode?)new JsonArray(items));

    /// <summary>Objects with each of the fields present or not.</summary>
    public static Gen<JsonNode?> ObjectOf(params (string Name, Gen<JsonNode?> Value)[] fields) =>
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
