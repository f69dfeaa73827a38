using System.Text.Json.Nodes;
using Amazon.SecretsManager.Model;
using CsCheck;
using Tap.Testing;

namespace Tap.LocalAws.Tests;

/// <summary>Arbitrary JSON shaped like the members of Secrets Manager's requests.</summary>
public static class SecretsManagerJson
{
    /// <summary>
    /// Mostly values of the member's own shape (so a request gets past parsing into the operation), each element
    /// or field sometimes null or out of range, and now and then anything at all.
    /// </summary>
    public static Gen<JsonNode?> ForMember(Type type, IReadOnlyList<string> names, Gen<JsonNode?> anything)
    {
        ArgumentNullException.ThrowIfNull(type);
        var text = ArbitraryJson.Text(names);
        var nullable = Gen.Frequency((1, Gen.Const(() => (JsonNode?)null)), (5, text));
        Gen<JsonNode?> shaped =
            type == typeof(string) ? text
            : type == typeof(int?) || type == typeof(long?) ? ArbitraryJson.Number
            : type == typeof(bool?) ? Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))
            : type == typeof(MemoryStream) ? Gen.Byte.Array[0, 64].Select(b => (JsonNode?)JsonValue.Create(Convert.ToBase64String(b)))
            : type == typeof(List<string>) ? ArbitraryJson.ArrayOf(nullable)
            : type == typeof(List<Tag>) ? ArbitraryJson.ArrayOf(Gen.Frequency((1, Gen.Const(() => (JsonNode?)null)), (6, ArbitraryJson.ObjectOf(("Key", nullable), ("Value", nullable)))))
            : type == typeof(List<Filter>) ? ArbitraryJson.ArrayOf(Gen.Frequency(
                (1, Gen.Const(() => (JsonNode?)null)),
                (6, ArbitraryJson.ObjectOf(("Key", Gen.Frequency((4, Gen.OneOf("name", "description", "tag-key", "tag-value", "all").Select(k => (JsonNode?)JsonValue.Create(k))), (1, nullable))), ("Values", ArbitraryJson.ArrayOf(nullable))))))
            : anything;
        return Gen.Frequency((5, shaped), (1, anything));
    }
}
