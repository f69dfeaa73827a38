namespace Tap.LocalAws.Ecr;

/// <summary>
/// An ECR repository: its settings and policies. LocalAws keeps no images in it (nothing here pushes or pulls a
/// container image), so every repository is empty.
/// </summary>
internal sealed record Repository(
    string Name,
    string Arn,
    string Uri,
    DateTimeOffset CreatedAt,
    string ImageTagMutability,
    bool ScanOnPush,
    string EncryptionType,
    string? KmsKey,
    IReadOnlyDictionary<string, string> Tags,
    string? PolicyText,
    string? LifecyclePolicyText);
