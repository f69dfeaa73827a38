using System.Text.Json.Serialization;
using Amazon.SecretsManager.Model;
using Tap.LocalAws.Iam;

namespace Tap.LocalAws.SecretsManager.Storage;

/// <summary>
/// One secret as the store keeps it. The store's records are never changed in place: a write changes a
/// <see cref="Clone"/>, which replaces the stored record only once it is durable.
/// </summary>
public sealed class SecretRecord
{
    public required string Name { get; init; }

    public required string Arn { get; init; }

    public string? Description { get; set; }

    public string? KmsKeyId { get; set; }

    public List<Tag> Tags { get; set; } = [];

    public required DateTime CreatedDate { get; init; }

    public DateTime LastChangedDate { get; set; }

    public DateTime? LastAccessedDate { get; set; }

    /// <summary>When a scheduled deletion takes effect; <see langword="null"/> when not scheduled.</summary>
    public DateTime? DeletionDate { get; set; }

    /// <summary>The resource-based policy as the caller wrote it (JSON), or <see langword="null"/>.</summary>
    public string? ResourcePolicy
    {
        get;
        set
        {
            field = value;
            _parsedPolicy = null;
        }
    }

    /// <summary>The parsed resource policy, for evaluation.</summary>
    [JsonIgnore]
    public PolicyDocument? ParsedResourcePolicy => ResourcePolicy is null ? null : _parsedPolicy ??= PolicyDocument.Parse(ResourcePolicy);

    /// <summary>Versions in creation order.</summary>
    public List<SecretVersion> Versions { get; set; } = [];

    [JsonIgnore]
    public bool IsScheduledForDeletion => DeletionDate is not null;

    private PolicyDocument? _parsedPolicy;

    /// <summary>A deep copy to change; the stored record stays as it is until the copy is committed.</summary>
    public SecretRecord Clone() => new()
    {
        Name = Name,
        Arn = Arn,
        Description = Description,
        KmsKeyId = KmsKeyId,
        Tags = [.. Tags.Select(t => new Tag { Key = t.Key, Value = t.Value })],
        CreatedDate = CreatedDate,
        LastChangedDate = LastChangedDate,
        LastAccessedDate = LastAccessedDate,
        DeletionDate = DeletionDate,
        ResourcePolicy = ResourcePolicy,
        Versions = [.. Versions.Select(v => v.Clone())],
    };

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

    public List<string> Stages { get; set; } = [];

    public required DateTime CreatedDate { get; init; }

    public DateTime? LastAccessedDate { get; set; }

    public SecretVersion Clone() => new()
    {
        VersionId = VersionId,
        SecretString = SecretString,
        SecretBinary = SecretBinary,
        Stages = [.. Stages],
        CreatedDate = CreatedDate,
        LastAccessedDate = LastAccessedDate,
    };

    public bool HasSameValue(string? secretString, byte[]? secretBinary) =>
        string.Equals(SecretString, secretString, StringComparison.Ordinal)
        && (SecretBinary ?? []).AsSpan().SequenceEqual(secretBinary ?? []);

    public override string ToString() => $"SecretVersion {{ VersionId = {VersionId}, Stages = [{string.Join(',', Stages)}] }}";
}
