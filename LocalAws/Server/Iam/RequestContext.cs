using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Tap.LocalAws.Iam;

/// <summary>
/// A request's condition keys (<c>aws:PrincipalArn</c>, <c>aws:SecureTransport</c>, <c>aws:ResourceAccount</c>, …
/// and the request's own), case-insensitive as in IAM. Built when a condition first reads one: every request is
/// authorized, and most statements have no condition.
/// </summary>
internal sealed class RequestContext(
    CallerIdentity caller, string action, string resource, string region, bool secureTransport, IReadOnlyDictionary<string, string>? requestKeys)
    : IReadOnlyDictionary<string, string>
{
    private Dictionary<string, string>? _built;

    private Dictionary<string, string> Built => _built ??= Build();

    public int Count => Built.Count;

    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => Built.Keys;

    public IEnumerable<string> Values => Built.Values;

    public string this[string key] => Built[key];

    public bool ContainsKey(string key) => Built.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => Built.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Built.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The account field of an ARN (<c>arn:partition:service:region:account:…</c>); empty when it has none.</summary>
    private static string ArnAccount(string resource)
    {
        if (!resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            return string.Empty;
        }

        // Every request is authorized: find the fourth and fifth colons rather than splitting the whole ARN.
        var start = 0;
        for (var field = 0; field < 4; field++)
        {
            start = resource.IndexOf(':', start) + 1;
            if (start == 0)
            {
                return string.Empty;
            }
        }

        var end = resource.IndexOf(':', start);
        return end < 0 ? string.Empty : resource[start..end];
    }

    private Dictionary<string, string> Build()
    {
        // The account that owns the resource: its ARN's, or (S3's ARNs name none) LocalAws's one account, the caller's.
        var resourceAccount = ArnAccount(resource) is { Length: > 0 } arnAccount ? arnAccount : caller.AccountId;
        // Sized for every key it may get, so it is never resized.
        var context = new Dictionary<string, string>(9 + (requestKeys?.Count ?? 0), StringComparer.OrdinalIgnoreCase)
        {
            ["aws:PrincipalArn"] = caller.IsAssumedRole ? caller.Principal.Arn : caller.Arn,
            ["aws:PrincipalAccount"] = caller.AccountId,
            ["aws:PrincipalType"] = caller.IsAssumedRole ? "AssumedRole" : "User",
            ["aws:userid"] = caller.UserId,
            ["aws:RequestedRegion"] = region,
            ["aws:SecureTransport"] = secureTransport ? "true" : "false",
        };
        if (resource != "*")
        {
            context["aws:ResourceAccount"] = resourceAccount;
            if (action.StartsWith("s3:", StringComparison.OrdinalIgnoreCase))
            {
                context["s3:ResourceAccount"] = resourceAccount;
            }
        }

        if (!caller.IsAssumedRole)
        {
            context["aws:username"] = caller.Principal.ResourceName;
        }

        if (requestKeys is not null)
        {
            foreach (var (key, value) in requestKeys)
            {
                context[key] = value;
            }
        }

        return context;
    }
}
