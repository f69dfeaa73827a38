namespace Tap.LocalAws.Kms;

/// <summary>
/// A KMS key's metadata: what it is for, its key policy and its state. LocalAws holds no key material and performs
/// no cryptography with it; a key is what a stack declares and what S3's and Logs' encryption settings name.
/// </summary>
internal sealed record KmsKey(
    string KeyId,
    string Arn,
    DateTimeOffset CreationDate,
    string Description,
    string KeyUsage,
    string KeySpec,
    string Policy,
    string KeyState,
    DateTimeOffset? DeletionDate,
    bool RotationEnabled,
    IReadOnlyDictionary<string, string> Tags);

/// <summary>A KMS alias (<c>alias/…</c>) and the key it points at.</summary>
internal sealed record KmsAlias(string Name, string Arn, string TargetKeyId, DateTimeOffset CreationDate);
