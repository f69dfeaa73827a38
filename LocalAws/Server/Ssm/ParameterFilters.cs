using System.Text.Json;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.Ssm;

/// <summary>
/// DescribeParameters' <c>ParameterFilters</c>, the keys LocalAws serves: <c>Name</c> (<c>Equals</c>,
/// <c>BeginsWith</c>, <c>Contains</c>), <c>Type</c> and <c>KeyId</c> (<c>Equals</c>), <c>Path</c> (<c>OneLevel</c>,
/// <c>Recursive</c>). Every filter must hold; a filter holds when any of its values does.
/// </summary>
internal sealed class ParameterFilters
{
    private readonly List<Func<StoredParameter, bool>> _filters = [];

    public static ParameterFilters Read(JsonRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var filters = new ParameterFilters();
        foreach (var filter in request.Array("ParameterFilters", 0, 50) ?? [])
        {
            var key = JsonRequest.String(filter, "Key") ?? throw JsonRequest.Constraint("ParameterFilters.member.Key", "Member must not be null");
            var values = filter.TryGetProperty("Values", out var list) && list.ValueKind == JsonValueKind.Array
                ? [.. list.EnumerateArray().Select(v => v.GetString() ?? string.Empty)]
                : Array.Empty<string>();
            var option = JsonRequest.String(filter, "Option");
            filters._filters.Add(key switch
            {
                "Name" => Name(option ?? "Equals", values),
                "Type" => Equal(option, values, p => p.Current.Type, key),
                "KeyId" => Equal(option, values, p => p.Current.KeyId, key),
                "Path" => Path(option ?? "OneLevel", values),
                _ => throw AwsServiceException.Json("InvalidFilterKey", $"The filter key {key} is not one LocalAws serves: Name, Type, KeyId or Path."),
            });
        }

        return filters;
    }

    public bool Match(StoredParameter parameter) => _filters.TrueForAll(filter => filter(parameter));

    private static Func<StoredParameter, bool> Name(string option, string[] values) => option switch
    {
        "Equals" => p => values.Contains(p.Name, StringComparer.Ordinal),
        "BeginsWith" => p => values.Any(v => p.Name.StartsWith(v, StringComparison.Ordinal)),
        "Contains" => p => values.Any(v => p.Name.Contains(v, StringComparison.Ordinal)),
        _ => throw InvalidOption(option, "Name"),
    };

    private static Func<StoredParameter, bool> Equal(string? option, string[] values, Func<StoredParameter, string?> field, string key) =>
        option is null or "Equals" ? p => values.Contains(field(p), StringComparer.Ordinal) : throw InvalidOption(option, key);

    private static Func<StoredParameter, bool> Path(string option, string[] values)
    {
        foreach (var value in values)
        {
            ParameterNames.ValidatePath(value);
        }

        return option switch
        {
            "OneLevel" => p => values.Any(v => ParameterNames.IsUnder(p.Name, v, recursive: false)),
            "Recursive" => p => values.Any(v => ParameterNames.IsUnder(p.Name, v, recursive: true)),
            _ => throw InvalidOption(option, "Path"),
        };
    }

    private static AwsServiceException InvalidOption(string option, string key) =>
        AwsServiceException.Json("InvalidFilterOption", $"The filter option {option} is not valid for key {key}.");
}
