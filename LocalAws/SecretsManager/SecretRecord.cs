using Amazon.SecretsManager.Model;

namespace Tap.LocalAws.SecretsManager;

/// <summary>One secret as the store keeps it. Mutated only under the store's lock.</summary>
public sealed class SecretRecord
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public List<Tag> Tags { get; init; } = [];

    public required DateTime CreatedDate { get; init; }

    public DateTime LastChangedDate { get; set; }

    public DateTime? LastAccessedDate { get; set; }

    /// <summary>When a scheduled deletion takes effect; <see langword="null"/> when not scheduled.</summary>
    public DateTime? DeletionDate { get; set; }

    /// <summary>Versions in creation order.</summary>
    public List<SecretVersion> Versions { get; init; } = [];

    public bool IsScheduledForDeletion => DeletionDate is not null;

    public SecretVersion? VersionWithStage(string stage) => Versions.FirstOrDefault(v => v.Stages.Contains(stage));

    public Dictionary<string, List<string>> VersionIdsToStages() =>
        Versions.Where(v => v.Stages.Count > 0).ToDictionary(v => v.VersionId, v => v.Stages.ToList(), StringComparer.Ordinal);
}

/// <summary>One version of a secret's value.</summary>
public sealed class SecretVersion
{
    public required string VersionId { get; init; }

    public string? SecretString { get; init; }

    public byte[]? SecretBinary { get; init; }

    public List<string> Stages { get; init; } = [];

    public required DateTime CreatedDate { get; init; }

    public bool HasSameValue(string? secretString, byte[]? secretBinary) =>
        string.Equals(SecretString, secretString, StringComparison.Ordinal)
        && (SecretBinary ?? []).AsSpan().SequenceEqual(secretBinary ?? []);

    public override string ToString() => $"SecretVersion {{ VersionId = {VersionId}, Stages = [{string.Join(',', Stages)}] }}";
}
