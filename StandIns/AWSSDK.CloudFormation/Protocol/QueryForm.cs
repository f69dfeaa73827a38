using System.Globalization;

namespace Tap.Aws.CloudFormation.Protocol;

/// <summary>
/// A Query request's form: <c>Action</c>, <c>Version</c>, then each member by name, a list's items as
/// <c>{Name}.member.{n}</c> (from 1) and a structure's fields as <c>{prefix}.{Field}</c>. Unset members are left out.
/// </summary>
internal sealed class QueryForm
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public QueryForm(string action, string version)
    {
        Add("Action", action);
        Add("Version", version);
    }

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public QueryForm Add(string name, string? value)
    {
        if (value is not null)
        {
            _fields.Add(new(name, value));
        }

        return this;
    }

    public QueryForm Add(string name, bool? value) => Add(name, value is { } flag ? (flag ? "true" : "false") : null);

    public QueryForm AddList(string name, IReadOnlyList<string>? items) =>
        AddMembers(name, items, (form, prefix, item) => form.Add(prefix, item));

    public QueryForm AddMembers<T>(string name, IReadOnlyList<T>? items, Action<QueryForm, string, T> write)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            write(this, string.Create(CultureInfo.InvariantCulture, $"{name}.member.{i + 1}"), items![i]);
        }

        return this;
    }

    public HttpContent ToContent() => new FormUrlEncodedContent(_fields);
}
