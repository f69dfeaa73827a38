namespace Tap.LocalAws.Services;

/// <summary>The Query protocol's lists: <c>Name.member.1</c>, <c>Name.member.2</c>, … and lists of structures, <c>Name.member.1.Field</c>.</summary>
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
}
