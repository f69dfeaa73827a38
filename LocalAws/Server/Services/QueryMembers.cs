namespace Tap.LocalAws.Services;

/// <summary>
/// The Query protocol's lists: <c>Name.member.1</c>, <c>Name.member.2</c>, …, lists of structures,
/// <c>Name.member.1.Field</c>, and maps, <c>Name.entry.1.key</c> with <c>Name.entry.1.value</c>.
/// </summary>
internal static class QueryMembers
{
    /// <summary>A list of strings, in member order.</summary>
    public static List<string> Strings(IReadOnlyDictionary<string, string> parameters, string name)
    {
        var values = new List<string>();
        for (var i = 1; parameters.TryGetValue($"{name}.member.{i}", out var value); i++)
        {
            values.Add(value);
        }

        return values;
    }

    /// <summary>A list of structures, each as its fields.</summary>
    public static List<Dictionary<string, string>> Structures(IReadOnlyDictionary<string, string> parameters, string name)
    {
        var items = new List<Dictionary<string, string>>();
        for (var i = 1; ; i++)
        {
            var prefix = $"{name}.member.{i}.";
            var fields = parameters.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
            if (fields.Count == 0)
            {
                return items;
            }

            items.Add(fields);
        }
    }

    /// <summary>A map, in entry order; a later entry of the same key wins.</summary>
    public static Dictionary<string, string> Map(IReadOnlyDictionary<string, string> parameters, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; parameters.TryGetValue($"{name}.entry.{i}.key", out var key); i++)
        {
            map[key] = parameters.GetValueOrDefault($"{name}.entry.{i}.value") ?? string.Empty;
        }

        return map;
    }
}
