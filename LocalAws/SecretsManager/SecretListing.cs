using Amazon.SecretsManager.Model;
using Tap.LocalAws.Protocols;

namespace Tap.LocalAws.SecretsManager;

/// <summary>ListSecrets: filters (prefix match, <c>!</c> negates), creation-date order, opaque page tokens.</summary>
internal static class SecretListing
{
    private static readonly string[] FilterKeys = ["description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all"];

    public static ListSecretsResponse List(IEnumerable<SecretRecord> secrets, ListSecretsRequest request)
    {
        var maxResults = request.MaxResults ?? 100;
        if (maxResults is < 1 or > 100)
        {
            throw AwsServiceException.Json("ValidationException",
                "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 100");
        }

        var filters = request.Filters ?? [];
        ValidateFilters(filters);

        var descending = string.Equals(request.SortOrder, "desc", StringComparison.Ordinal);
        var matching = secrets
            .Where(s => request.IncludePlannedDeletion == true || !s.IsScheduledForDeletion)
            .Where(s => filters.All(f => Matches(s, f)))
            .OrderBy(s => descending ? -s.CreatedDate.Ticks : s.CreatedDate.Ticks)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var offset = PageToken.Decode(request.NextToken);
        var page = matching.Skip(offset).Take(maxResults).Select(ToEntry).ToList();
        var next = offset + page.Count;
        return new ListSecretsResponse { SecretList = page, NextToken = next < matching.Count ? PageToken.Encode(next) : null };
    }

    internal static void ValidateFilters(List<Filter> filters)
    {
        for (var i = 0; i < filters.Count; i++)
        {
            if (filters[i].Key is not { } key || !FilterKeys.Contains(key, StringComparer.Ordinal))
            {
                throw AwsServiceException.Json("ValidationException",
                    $"1 validation error detected: Value '{filters[i].Key}' at 'filters.{i + 1}.member.key' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", FilterKeys)}]");
            }
        }
    }

    internal static bool Matches(SecretRecord secret, Filter filter)
    {
        return (filter.Values ?? []).Any(raw =>
        {
            var negate = raw.StartsWith('!');
            var value = negate ? raw[1..] : raw;
            var hit = filter.Key switch
            {
                "name" => Prefix(secret.Name, value),
                "description" => Prefix(secret.Description, value),
                "tag-key" => secret.Tags.Any(t => Prefix(t.Key, value)),
                "tag-value" => secret.Tags.Any(t => Prefix(t.Value, value)),
                "all" => Prefix(secret.Name, value) || Prefix(secret.Description, value) || secret.Tags.Any(t => Prefix(t.Key, value) || Prefix(t.Value, value)),
                _ => false,
            };
            return hit != negate;
        });
    }

    private static bool Prefix(string? text, string prefix) => text?.StartsWith(prefix, StringComparison.Ordinal) == true;

    private static SecretListEntry ToEntry(SecretRecord secret) => new()
    {
        ARN = secret.Arn,
        Name = secret.Name,
        Description = secret.Description,
        KmsKeyId = secret.KmsKeyId,
        RotationEnabled = false,
        CreatedDate = secret.CreatedDate,
        LastChangedDate = secret.LastChangedDate,
        LastAccessedDate = secret.LastAccessedDate,
        DeletedDate = secret.DeletionDate,
        Tags = secret.Tags.Count == 0 ? null : [.. secret.Tags],
        SecretVersionsToStages = secret.VersionIdsToStages(),
    };
}
