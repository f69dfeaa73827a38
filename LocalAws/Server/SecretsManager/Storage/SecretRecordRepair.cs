using System.Text.Json;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// Brings a record written by an earlier version into shape: values that version accepted but that would break
/// later calls (a null tag, a tag without a key, a null version or stage, a policy that no longer parses) are dropped.
/// </summary>
internal static class SecretRecordRepair
{
    /// <summary>Repairs <paramref name="secret"/> in place and says what was changed (nothing: an empty list).</summary>
    public static List<string> Repair(SecretRecord secret)
    {
        var repairs = new List<string>();
        secret.Tags ??= [];
        var droppedTags = secret.Tags.RemoveAll(t => t is null || string.IsNullOrEmpty(t.Key));
        if (droppedTags > 0)
        {
            repairs.Add($"dropped {droppedTags} tag(s) that were null or had no key");
        }

        foreach (var tag in secret.Tags.Where(t => t.Value is null))
        {
            tag.Value = string.Empty;
            repairs.Add($"gave tag '{tag.Key}' an empty value instead of null");
        }

        secret.Versions ??= [];
        var droppedVersions = secret.Versions.RemoveAll(v => v is null);
        if (droppedVersions > 0)
        {
            repairs.Add($"dropped {droppedVersions} null version(s)");
        }

        foreach (var version in secret.Versions)
        {
            version.Stages ??= [];
            if (version.Stages.RemoveAll(s => string.IsNullOrEmpty(s)) > 0)
            {
                repairs.Add($"dropped empty staging labels of version {version.VersionId}");
            }
        }

        if (secret.ResourcePolicy is { } policy && !Parses(policy))
        {
            secret.ResourcePolicy = null;
            repairs.Add("removed a resource policy that is not a valid policy (put it again with PutResourcePolicy)");
        }

        return repairs;
    }

    private static bool Parses(string policy)
    {
        try
        {
            _ = PolicyDocument.Parse(policy);
            return true;
        }
        catch (Exception ex) when (ex is PolicyFormatException or JsonException)
        {
            return false;
        }
    }
}
