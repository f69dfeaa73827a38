using Amazon.SecretsManager.Model;
using Tap.LocalAws.Protocols;
using Tap.LocalAws.SecretsManager.Storage;

namespace Tap.LocalAws.SecretsManager;

/// <summary>ListSecrets: filters (prefix match, <c>!</c> negates), creation-date order, opaque page tokens.
/// Requests arrive checked against their constraints (<see cref="RequestValidation"/>).</summary>
internal static class SecretListing
{
    public static ListSecretsResponse List(IEnumerable<SecretRecord> secrets, ListSecretsRequest request)
    {
        var maxResults = request.MaxResults ?? 100;
        var filters = request.Filters ?? [];

        var descending = string.Equals(request.SortOrder, "desc", StringComparison.Ordinal);
        var matching = secrets
            .Where(s => request.IncludePlannedDeletion == true || !s.IsScheduledForDeletion)
            .Where(s => filters.All(f => Matches(s, f)))
            .OrderBy(s => descending ? -s.CreatedDate.Ticks : s.CreatedDate.Ticks)
            .ThenBy(s => s.Name, StringComparer.Ordinal)
            .ToList();

        var offset = PageToken.Decode(request.NextToken, matching.Count, "InvalidNextTokenException");
        var page = matching.Skip(offset).Take(maxResults).Select(ToEntry).ToList();
        var next = offset + page.Count;
        return new ListSecretsResponse { SecretList = page, NextToken = next < matching.Count ? PageToken.Encode(next) : null };
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
